package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Files are the paths (and the two tokens) the API server and the kubeconfigs need.
type Files struct {
	caCert, servingCert, servingKey string
	saPub, saKey                    string
	tokens, auditPolicy, auditLog   string
	adminToken, viewerToken         string
}

// The viewer's group; the ClusterRole bound to it is created in bootstrap.go.
const viewerGroup = "fluxdeck:viewers"

// ensureSecrets creates what is missing and reuses what exists, so a restart on
// the same data directory keeps the CA (clients keep trusting the server) and
// the tokens (kubeconfigs stay valid).
func ensureSecrets(dir string) (Files, error) {
	f := Files{
		caCert:      filepath.Join(dir, "ca.crt"),
		servingCert: filepath.Join(dir, "serving.crt"),
		servingKey:  filepath.Join(dir, "serving.key"),
		saPub:       filepath.Join(dir, "sa.pub"),
		saKey:       filepath.Join(dir, "sa.key"),
		tokens:      filepath.Join(dir, "tokens.csv"),
		auditPolicy: filepath.Join(dir, "audit-policy.yaml"),
		auditLog:    filepath.Join(dir, "audit.log"),
	}
	if !exists(f.caCert) || !exists(f.servingCert) || !exists(f.servingKey) {
		if err := writeCerts(f); err != nil {
			return f, err
		}
	}
	if !exists(f.saKey) || !exists(f.saPub) {
		if err := writeServiceAccountKey(f); err != nil {
			return f, err
		}
	}
	if err := ensureTokens(&f); err != nil {
		return f, err
	}
	return f, os.WriteFile(f.auditPolicy, []byte(auditPolicy), 0o600)
}

// Metadata for every request of a non-system user; the API server's own
// loopback client (system:apiserver) and anonymous health probes are left out
// so the log reads as "what clients sent".
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: None
  users: ["system:apiserver", "system:anonymous", "system:kube-proxy", "system:kube-scheduler", "system:kube-controller-manager"]
- level: None
  userGroups: ["system:nodes", "system:serviceaccounts"]
- level: Metadata
`

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func writeCerts(f Files) error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fluxdeck-lab-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost", "kubernetes", "kubernetes.default.svc"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	leafKeyDER, err := x509.MarshalECPrivateKey(leafKey)
	if err != nil {
		return err
	}
	if err := writePEM(f.caCert, "CERTIFICATE", caDER); err != nil {
		return err
	}
	if err := writePEM(f.servingCert, "CERTIFICATE", leafDER); err != nil {
		return err
	}
	return writePEM(f.servingKey, "EC PRIVATE KEY", leafKeyDER)
}

func writeServiceAccountKey(f Files) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := writePEM(f.saKey, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)); err != nil {
		return err
	}
	return writePEM(f.saPub, "PUBLIC KEY", pub)
}

func writePEM(path, kind string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600)
}

// ensureTokens keeps tokens.csv (format: token,user,uid,"group1,group2").
func ensureTokens(f *Files) error {
	if raw, err := os.ReadFile(f.tokens); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			parts := strings.SplitN(line, ",", 3)
			if len(parts) < 3 {
				continue
			}
			switch parts[1] {
			case "admin":
				f.adminToken = parts[0]
			case "viewer":
				f.viewerToken = parts[0]
			}
		}
		if f.adminToken != "" && f.viewerToken != "" {
			return nil
		}
	}
	f.adminToken, f.viewerToken = randomToken(), randomToken()
	body := fmt.Sprintf("%s,admin,uid-admin,\"system:masters\"\n%s,viewer,uid-viewer,\"%s\"\n",
		f.adminToken, f.viewerToken, viewerGroup)
	return os.WriteFile(f.tokens, []byte(body), 0o600)
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
