package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	authzv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/yaml"
)

// The groups a read-only Flux dashboard needs (flux-api.md §9), and nothing more.
var fluxGroups = []string{
	"source.toolkit.fluxcd.io", "source.extensions.fluxcd.io", "kustomize.toolkit.fluxcd.io",
	"helm.toolkit.fluxcd.io", "image.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io",
	"fluxcd.controlplane.io",
}

func bootstrap(ctx context.Context, cfg *rest.Config, crdDir string) error {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	if err := applyViewerRBAC(ctx, cs); err != nil {
		return fmt.Errorf("viewer RBAC: %w", err)
	}
	if err := installCRDs(ctx, cfg, crdDir); err != nil {
		return fmt.Errorf("CRDs from %s: %w", crdDir, err)
	}
	return waitViewerCanList(ctx, cs)
}

func viewerClusterRole() *rbacv1.ClusterRole {
	read := []string{"get", "list", "watch"}
	return &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "fluxdeck-viewer"},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: fluxGroups, Resources: []string{"*"}, Verbs: read},
			{APIGroups: []string{""}, Resources: []string{"events", "namespaces"}, Verbs: read},
			{APIGroups: []string{"events.k8s.io"}, Resources: []string{"events"}, Verbs: read},
			{APIGroups: []string{"apiextensions.k8s.io"}, Resources: []string{"customresourcedefinitions"}, Verbs: read},
			{APIGroups: []string{"apps"}, Resources: []string{"deployments"}, Verbs: read},
			{APIGroups: []string{"authorization.k8s.io"}, Resources: []string{"selfsubjectaccessreviews", "selfsubjectrulesreviews"}, Verbs: []string{"create"}},
		},
	}
}

func applyViewerRBAC(ctx context.Context, cs *kubernetes.Clientset) error {
	role := viewerClusterRole()
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); apierrors.IsAlreadyExists(err) {
		cur, err := cs.RbacV1().ClusterRoles().Get(ctx, role.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		cur.Rules = role.Rules
		if _, err := cs.RbacV1().ClusterRoles().Update(ctx, cur, metav1.UpdateOptions{}); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "fluxdeck-viewer"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: viewerGroup}},
	}
	if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}

// installCRDs creates or updates every CRD in dir, labelled as `flux install`
// labels them (flux-api.md §8), and waits until each is Established.
func installCRDs(ctx context.Context, cfg *rest.Config, dir string) error {
	client, err := apiextclient.NewForConfig(cfg)
	if err != nil {
		return err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no *.yaml files")
	}
	sort.Strings(paths)
	version := filepath.Base(filepath.Clean(dir))
	crds := client.ApiextensionsV1().CustomResourceDefinitions()
	var names []string
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var crd apiextv1.CustomResourceDefinition
		if err := yaml.Unmarshal(raw, &crd); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		if crd.Labels == nil {
			crd.Labels = map[string]string{}
		}
		crd.Labels["app.kubernetes.io/part-of"] = "flux"
		crd.Labels["app.kubernetes.io/instance"] = "flux-system"
		if strings.HasPrefix(version, "v") {
			crd.Labels["app.kubernetes.io/version"] = version
		}
		if _, err := crds.Create(ctx, &crd, metav1.CreateOptions{}); apierrors.IsAlreadyExists(err) {
			cur, err := crds.Get(ctx, crd.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			crd.ResourceVersion = cur.ResourceVersion
			if _, err := crds.Update(ctx, &crd, metav1.UpdateOptions{}); err != nil {
				return fmt.Errorf("update %s: %w", crd.Name, err)
			}
		} else if err != nil {
			return fmt.Errorf("create %s: %w", crd.Name, err)
		}
		names = append(names, crd.Name)
	}
	for _, name := range names {
		if err := poll(ctx, func() (bool, error) {
			cur, err := crds.Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return false, err
			}
			for _, c := range cur.Status.Conditions {
				if c.Type == apiextv1.Established && c.Status == apiextv1.ConditionTrue {
					return true, nil
				}
			}
			return false, nil
		}); err != nil {
			return fmt.Errorf("%s not established: %w", name, err)
		}
	}
	return nil
}

// RBAC reaches the authorizer through informers; wait until the viewer's
// binding is live so no test sees a transient 403.
func waitViewerCanList(ctx context.Context, cs *kubernetes.Clientset) error {
	return poll(ctx, func() (bool, error) {
		review := &authzv1.SubjectAccessReview{Spec: authzv1.SubjectAccessReviewSpec{
			User:   "viewer",
			Groups: []string{viewerGroup},
			ResourceAttributes: &authzv1.ResourceAttributes{
				Verb: "list", Group: "kustomize.toolkit.fluxcd.io", Resource: "kustomizations",
			},
		}}
		res, err := cs.AuthorizationV1().SubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
		if err != nil {
			return false, err
		}
		return res.Status.Allowed, nil
	})
}

func poll(ctx context.Context, ok func() (bool, error)) error {
	var last error
	for {
		done, err := ok()
		if done {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("%v (last error: %v)", ctx.Err(), last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func writeKubeconfigs(dir string, p Ports, f Files) (string, string, error) {
	ca, err := os.ReadFile(f.caCert)
	if err != nil {
		return "", "", err
	}
	write := func(user, token string) (string, error) {
		cfg := clientcmdapi.NewConfig()
		cfg.Clusters["fluxdeck-lab"] = &clientcmdapi.Cluster{
			Server:                   fmt.Sprintf("https://127.0.0.1:%d", p.APIServer),
			CertificateAuthorityData: ca,
		}
		cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
		ctxName := "lab-" + user
		cfg.Contexts[ctxName] = &clientcmdapi.Context{Cluster: "fluxdeck-lab", AuthInfo: user}
		cfg.CurrentContext = ctxName
		path := filepath.Join(dir, "kubeconfig-"+user)
		return path, clientcmd.WriteToFile(*cfg, path)
	}
	admin, err := write("admin", f.adminToken)
	if err != nil {
		return "", "", err
	}
	viewer, err := write("viewer", f.viewerToken)
	return admin, viewer, err
}
