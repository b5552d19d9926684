// Command testenv runs a real kube-apiserver with an embedded etcd on 127.0.0.1,
// installs the genuine Flux CRDs from a folder and writes kubeconfigs for an
// admin and a read-only viewer. It is the lab that fluxdeck's cluster tests and
// `make lab` run against. It prints one line when ready:
//
//	LAB READY admin=<path> viewer=<path> audit=<path>
//
// and runs until SIGTERM/SIGINT or until its standard input closes (so a test
// harness that dies never leaves it behind). Restarting it on the same data
// directory keeps the etcd data, the ports, the CA and the tokens.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	dataDir := flag.String("data-dir", ".lab", "directory for etcd data, certificates, kubeconfigs and the audit log")
	crdDir := flag.String("crds", "../shared/flux-crds/v2.8.0", "folder of Flux CRD YAML files to install")
	watchStdin := flag.Bool("exit-on-stdin-eof", true, "exit when standard input closes")
	compaction := flag.Duration("etcd-compaction-interval", 5*time.Minute, "kube-apiserver's etcd compaction interval (short values make 410 Gone reproducible)")
	flag.Parse()

	if err := run(*dataDir, *crdDir, *watchStdin, *compaction); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		os.Exit(1)
	}
}

func run(dataDir, crdDir string, watchStdin bool, compaction time.Duration) error {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ports, err := loadOrPickPorts(dir)
	if err != nil {
		return fmt.Errorf("ports: %w", err)
	}
	files, err := ensureSecrets(dir)
	if err != nil {
		return fmt.Errorf("certificates and tokens: %w", err)
	}

	etcd, err := startEtcd(dir, ports)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	stop := func(code int) {
		// etcd runs without fsync, so its writes are already in the page cache
		// and survive the process; a slow graceful close is not worth waiting for.
		closed := make(chan struct{})
		go func() { etcd.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(2 * time.Second):
		}
		os.Exit(code)
	}

	startAPIServer(dir, ports, files, compaction)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cfg := adminRESTConfig(ports, files)
	if err := waitReady(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: kube-apiserver never became ready: %v\n", err)
		stop(1)
	}
	if err := bootstrap(ctx, cfg, crdDir); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: bootstrap: %v\n", err)
		stop(1)
	}
	admin, viewer, err := writeKubeconfigs(dir, ports, files)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testenv: kubeconfigs: %v\n", err)
		stop(1)
	}
	fmt.Printf("LAB READY admin=%s viewer=%s audit=%s\n", admin, viewer, files.auditLog)

	done := make(chan string, 2)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() { done <- (<-sigs).String() }()
	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			done <- "stdin closed"
		}()
	}
	why := <-done
	fmt.Fprintf(os.Stderr, "testenv: stopping (%s)\n", why)
	stop(0)
	return nil
}
