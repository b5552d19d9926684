package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func startEtcd(dir string, p Ports) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = "lab"
	cfg.Dir = filepath.Join(dir, "etcd")
	cfg.LogLevel = "error"
	// A lab's data is disposable; fsync would only slow every write down.
	cfg.UnsafeNoFsync = true
	client, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", p.EtcdClient))
	peer, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", p.EtcdPeer))
	cfg.ListenClientUrls = []url.URL{*client}
	cfg.AdvertiseClientUrls = []url.URL{*client}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, fmt.Errorf("not ready after 60s")
	}
}

// startAPIServer runs the stock kube-apiserver command in this process; its
// flags are the stable interface across Kubernetes minor versions.
func startAPIServer(dir string, p Ports, f Files, compaction time.Duration) {
	args := []string{
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", p.EtcdClient),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", p.APIServer),
		"--tls-cert-file=" + f.servingCert,
		"--tls-private-key-file=" + f.servingKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + f.saPub,
		"--service-account-signing-key-file=" + f.saKey,
		"--authorization-mode=RBAC",
		"--token-auth-file=" + f.tokens,
		"--disable-admission-plugins=ServiceAccount",
		"--endpoint-reconciler-type=none",
		"--allow-privileged=true",
		"--audit-policy-file=" + f.auditPolicy,
		"--audit-log-path=" + f.auditLog,
		"--audit-log-format=json",
		"--audit-log-mode=blocking",
		"--etcd-compaction-interval=" + compaction.String(),
		"--profiling=false",
		"--cert-dir=" + filepath.Join(dir, "apiserver-certs"),
		"--v=0",
	}
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(args)
	go func() {
		if err := cmd.Execute(); err != nil {
			fmt.Fprintf(os.Stderr, "testenv: kube-apiserver exited: %v\n", err)
			os.Exit(1)
		}
	}()
}

func adminRESTConfig(p Ports, f Files) *rest.Config {
	return &rest.Config{
		Host:            fmt.Sprintf("https://127.0.0.1:%d", p.APIServer),
		BearerToken:     f.adminToken,
		TLSClientConfig: rest.TLSClientConfig{CAFile: f.caCert},
		QPS:             200,
		Burst:           400,
	}
}

func waitReady(ctx context.Context, cfg *rest.Config) error {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	var last error
	for {
		body, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && string(body) == "ok" {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("%v (last error: %v)", ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
