package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Ports are chosen once per data directory and kept, so a restarted lab is
// reachable at the same address and clients can reconnect to it.
type Ports struct {
	APIServer  int `json:"apiserver"`
	EtcdClient int `json:"etcdClient"`
	EtcdPeer   int `json:"etcdPeer"`
}

func loadOrPickPorts(dir string) (Ports, error) {
	path := filepath.Join(dir, "ports.json")
	var p Ports
	if raw, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(raw, &p); err != nil {
			return p, fmt.Errorf("%s: %w", path, err)
		}
		// A lab that was just stopped may still hold its ports for a moment.
		deadline := time.Now().Add(15 * time.Second)
		for _, port := range []int{p.APIServer, p.EtcdClient, p.EtcdPeer} {
			for !portFree(port) {
				if time.Now().After(deadline) {
					return p, fmt.Errorf("port %d of %s is in use (is another lab running on this data dir?)", port, path)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		return p, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return p, err
	}
	picked := make([]int, 0, 3)
	listeners := make([]net.Listener, 0, 3)
	// Hold all three listeners until all are picked so the kernel cannot hand
	// out the same port twice.
	for i := 0; i < 3; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return p, err
		}
		listeners = append(listeners, l)
		picked = append(picked, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range listeners {
		l.Close()
	}
	p = Ports{APIServer: picked[0], EtcdClient: picked[1], EtcdPeer: picked[2]}
	raw, _ := json.Marshal(p)
	return p, os.WriteFile(path, raw, 0o600)
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
