//! The Flux kinds fluxdeck knows (flux-api.md §1a): group, plural, short names,
//! and what the flux CLI allows on each.

use serde::Serialize;
use std::fmt;

/// Declares the enum and the list of all its variants from one list.
macro_rules! kinds {
    ($($kind:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Kind {
            $($kind),+
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$kind),+];
        }
    };
}

kinds!(
    GitRepository,
    OCIRepository,
    HelmRepository,
    HelmChart,
    Bucket,
    ExternalArtifact,
    ArtifactGenerator,
    Kustomization,
    HelmRelease,
    ImageRepository,
    ImagePolicy,
    ImageUpdateAutomation,
    Alert,
    Provider,
    Receiver,
    FluxInstance,
    FluxReport,
    ResourceSet,
    ResourceSetInputProvider,
);

/// Which view a kind belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Source,
    Applier,
    Image,
    Notification,
    Operator,
}

use Kind::*;

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            GitRepository => "GitRepository",
            OCIRepository => "OCIRepository",
            HelmRepository => "HelmRepository",
            HelmChart => "HelmChart",
            Bucket => "Bucket",
            ExternalArtifact => "ExternalArtifact",
            ArtifactGenerator => "ArtifactGenerator",
            Kustomization => "Kustomization",
            HelmRelease => "HelmRelease",
            ImageRepository => "ImageRepository",
            ImagePolicy => "ImagePolicy",
            ImageUpdateAutomation => "ImageUpdateAutomation",
            Alert => "Alert",
            Provider => "Provider",
            Receiver => "Receiver",
            FluxInstance => "FluxInstance",
            FluxReport => "FluxReport",
            ResourceSet => "ResourceSet",
            ResourceSetInputProvider => "ResourceSetInputProvider",
        }
    }

    pub fn group(self) -> &'static str {
        match self.family() {
            Family::Source if self == ArtifactGenerator => "source.extensions.fluxcd.io",
            Family::Source => "source.toolkit.fluxcd.io",
            Family::Applier if self == Kustomization => "kustomize.toolkit.fluxcd.io",
            Family::Applier => "helm.toolkit.fluxcd.io",
            Family::Image => "image.toolkit.fluxcd.io",
            Family::Notification => "notification.toolkit.fluxcd.io",
            Family::Operator => "fluxcd.controlplane.io",
        }
    }

    pub fn family(self) -> Family {
        match self {
            GitRepository | OCIRepository | HelmRepository | HelmChart | Bucket
            | ExternalArtifact | ArtifactGenerator => Family::Source,
            Kustomization | HelmRelease => Family::Applier,
            ImageRepository | ImagePolicy | ImageUpdateAutomation => Family::Image,
            Alert | Provider | Receiver => Family::Notification,
            FluxInstance | FluxReport | ResourceSet | ResourceSetInputProvider => Family::Operator,
        }
    }

    /// The resource name, as the CRDs define it.
    pub fn plural(self) -> String {
        let lower = self.name().to_lowercase();
        match lower.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{lower}s"),
        }
    }

    /// Short names as the CRDs (and flux CLI habits) define them.
    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            GitRepository => &["gitrepo", "git"],
            OCIRepository => &["ocirepo", "oci"],
            HelmRepository => &["helmrepo"],
            HelmChart => &["hc", "chart"],
            ExternalArtifact => &["ea"],
            ArtifactGenerator => &["ag"],
            Kustomization => &["ks", "kustomize"],
            HelmRelease => &["hr"],
            ImageRepository => &["imgrepo", "imagerepo"],
            ImagePolicy => &["imgpol", "imagepol"],
            ImageUpdateAutomation => &["iua", "imgupd", "imgauto"],
            ResourceSet => &["rset"],
            ResourceSetInputProvider => &["rsip"],
            _ => &[],
        }
    }

    /// A kind from its name, plural or short name, in any case.
    pub fn parse(text: &str) -> Option<Kind> {
        let t = text.to_ascii_lowercase();
        Kind::ALL.iter().copied().find(|k| {
            k.name().eq_ignore_ascii_case(&t)
                || k.plural() == t
                || k.short_names().contains(&t.as_str())
        })
    }

    /// The kind with exactly this API group and kind name.
    pub fn from_api(group: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == kind && k.group() == group)
    }

    /// Kinds with no status at all since v1beta3 (flux-api.md §3d).
    pub fn is_static(self) -> bool {
        matches!(self, Alert | Provider)
    }

    /// Kinds a reconcile request means something to: not the static ones,
    /// and not ExternalArtifact, which its producer writes.
    pub fn has_reconcile_loop(self) -> bool {
        !matches!(self, Alert | Provider | ExternalArtifact)
    }

    /// The Deployment that reconciles this kind (flux-api.md §8).
    pub fn controller(self) -> &'static str {
        match self {
            GitRepository | OCIRepository | HelmRepository | HelmChart | Bucket => {
                "source-controller"
            }
            Kustomization => "kustomize-controller",
            HelmRelease => "helm-controller",
            ImageRepository | ImagePolicy => "image-reflector-controller",
            ImageUpdateAutomation => "image-automation-controller",
            Alert | Provider | Receiver => "notification-controller",
            ArtifactGenerator | ExternalArtifact => "source-watcher",
            FluxInstance | FluxReport | ResourceSet | ResourceSetInputProvider => "flux-operator",
        }
    }

    /// Operator kinds pause through an annotation instead of spec.suspend.
    pub fn pauses_by_annotation(self) -> bool {
        self.family() == Family::Operator || self == ArtifactGenerator
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_plurals_and_short_names_parse() {
        assert_eq!(Kind::parse("ks"), Some(Kustomization));
        assert_eq!(Kind::parse("HelmReleases"), Some(HelmRelease));
        assert_eq!(Kind::parse("imagepolicies"), Some(ImagePolicy));
        assert_eq!(Kind::parse("gitrepo"), Some(GitRepository));
        assert_eq!(Kind::parse("OCIRepository"), Some(OCIRepository));
        assert_eq!(Kind::parse("pods"), None);
    }

    #[test]
    fn plurals_are_the_crd_resource_names() {
        assert_eq!(GitRepository.plural(), "gitrepositories");
        assert_eq!(HelmRepository.plural(), "helmrepositories");
        assert_eq!(ImagePolicy.plural(), "imagepolicies");
        assert_eq!(ImageUpdateAutomation.plural(), "imageupdateautomations");
        assert_eq!(Kustomization.plural(), "kustomizations");
        assert_eq!(
            ResourceSetInputProvider.plural(),
            "resourcesetinputproviders"
        );
    }

    #[test]
    fn groups_follow_the_flux_api() {
        assert_eq!(ArtifactGenerator.group(), "source.extensions.fluxcd.io");
        assert_eq!(HelmChart.group(), "source.toolkit.fluxcd.io");
        assert_eq!(HelmRelease.group(), "helm.toolkit.fluxcd.io");
        assert_eq!(Receiver.group(), "notification.toolkit.fluxcd.io");
        assert_eq!(ResourceSet.group(), "fluxcd.controlplane.io");
        for &kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Some(kind));
            assert_eq!(Kind::parse(&kind.plural()), Some(kind));
        }
    }
}
