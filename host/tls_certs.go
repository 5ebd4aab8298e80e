package host

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// TLSCertificate is one https binding's certificate: the host name it answers SNI for ("" for
// the binding without a host name, whose certificate is the default) and its PEM files, the
// <binding> attributes certificateFile (the chain) and certificateKeyFile (the key).
type TLSCertificate struct{ HostName, CertFile, KeyFile string }

type tlsCertificateSpec = TLSCertificate

// certRecheck bounds how often a certificate's files are looked at for changes, so that a
// burst of handshakes does not stat them each time.
const certRecheck = time.Second

// certificateStore answers each handshake with its binding's certificate, reloading the files
// when they change on disk.
type certificateStore struct {
	exact    map[string]*certEntry // lower-case host name
	wildcard map[string]*certEntry // "example.com" for a "*.example.com" binding
	fallback *certEntry            // the binding without a host name
	logger   *slog.Logger
	recheck  time.Duration
}

// certEntry is one binding's pair as last loaded, and what its files looked like then.
type certEntry struct {
	spec    tlsCertificateSpec
	cert    atomic.Pointer[tls.Certificate]
	checked atomic.Int64 // unix nanoseconds of the last look at the files

	mu    sync.Mutex // one reload at a time
	stamp [2]fileStamp
}

type fileStamp struct {
	size    int64
	modTime time.Time
}

// newCertificateStore loads every pair now; an unusable one fails the whole store.
func newCertificateStore(specs []tlsCertificateSpec, logger *slog.Logger) (*certificateStore, error) {
	if logger == nil {
		logger = slog.Default()
	}
	s := &certificateStore{exact: map[string]*certEntry{}, wildcard: map[string]*certEntry{}, logger: logger, recheck: certRecheck}
	for _, spec := range specs {
		e := &certEntry{spec: spec}
		cert, stamp, err := loadPair(spec, logger)
		if err != nil {
			return nil, err
		}
		e.cert.Store(cert)
		e.stamp = stamp
		e.checked.Store(time.Now().UnixNano())
		name := strings.ToLower(strings.TrimSuffix(spec.HostName, "."))
		table, key := s.exact, name
		if rest, ok := strings.CutPrefix(name, "*."); ok {
			table, key = s.wildcard, rest
		}
		switch {
		case name == "":
			if s.fallback != nil {
				return nil, fmt.Errorf("https bindings: two bindings without a host name on one endpoint (%s and %s)", s.fallback.spec.CertFile, spec.CertFile)
			}
			s.fallback = e
		case table[key] != nil:
			return nil, fmt.Errorf("https bindings: host name %q has two certificates (%s and %s)", spec.HostName, table[key].spec.CertFile, spec.CertFile)
		default:
			table[key] = e
		}
	}
	return s, nil
}

// getCertificate is tls.Config.GetCertificate: the binding whose host name is the SNI name
// (exactly, then by a "*.domain" binding for one more label), else the default binding.
func (s *certificateStore) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	e := s.exact[name]
	if e == nil && name != "" {
		if _, rest, ok := strings.Cut(name, "."); ok {
			e = s.wildcard[rest]
		}
	}
	if e == nil {
		e = s.fallback
	}
	if e == nil {
		return nil, fmt.Errorf("no https binding for server name %q and none without a host name", hello.ServerName)
	}
	s.refresh(e)
	return e.cert.Load(), nil
}

// refresh reloads e's pair when its files changed since they were last looked at, at most once
// per recheck interval. A pair that fails to load leaves the old one serving.
func (s *certificateStore) refresh(e *certEntry) {
	now := time.Now().UnixNano()
	last := e.checked.Load()
	if now-last < int64(s.recheck) || !e.checked.CompareAndSwap(last, now) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	stamp, err := stampFiles(e.spec)
	if err == nil && stamp == e.stamp {
		return
	}
	// Remember the files' stamp even when they are broken, so that the error is logged once per
	// change, not once per check.
	e.stamp = stamp
	where := []any{"host", e.spec.HostName, "certificate", e.spec.CertFile, "key", e.spec.KeyFile}
	if err == nil {
		var cert *tls.Certificate
		if cert, _, err = loadPair(e.spec, s.logger); err == nil {
			e.cert.Store(cert)
			s.logger.Info("https certificate reloaded", where...)
			return
		}
	}
	s.logger.Error("https certificate not reloaded; the previous one stays in use", append(where, "error", err)...)
}

// loadPair reads and checks one binding's certificate and key.
func loadPair(spec tlsCertificateSpec, logger *slog.Logger) (*tls.Certificate, [2]fileStamp, error) {
	fail := func(err error) (*tls.Certificate, [2]fileStamp, error) {
		return nil, [2]fileStamp{}, fmt.Errorf("https binding %q: certificate %s, key %s: %w", spec.HostName, spec.CertFile, spec.KeyFile, err)
	}
	if spec.CertFile == "" || spec.KeyFile == "" {
		return fail(errors.New("certificateFile and certificateKeyFile are both required"))
	}
	stamp, err := stampFiles(spec)
	if err != nil {
		return fail(err)
	}
	certPEM, err := os.ReadFile(spec.CertFile)
	if err != nil {
		return fail(err)
	}
	keyPEM, err := os.ReadFile(spec.KeyFile)
	if err != nil {
		return fail(err)
	}
	// X509KeyPair rejects a file without PEM blocks, an unparsable key, and a key that is not
	// the certificate's.
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return fail(err)
	}
	leaf := cert.Leaf
	if leaf == nil {
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return fail(err)
		}
		cert.Leaf = leaf
	}
	if now := time.Now(); now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
		// Clients decide what to do with it; IIS serves an expired certificate too.
		logger.Warn("https certificate is outside its validity period", "host", spec.HostName, "certificate", spec.CertFile,
			"not_before", leaf.NotBefore, "not_after", leaf.NotAfter)
	}
	return &cert, stamp, nil
}

func stampFiles(spec tlsCertificateSpec) ([2]fileStamp, error) {
	var out [2]fileStamp
	for i, name := range []string{spec.CertFile, spec.KeyFile} {
		fi, err := os.Stat(name)
		if err != nil {
			return out, err
		}
		out[i] = fileStamp{size: fi.Size(), modTime: fi.ModTime()}
	}
	return out, nil
}

// NewTLSConfig serves ep's certificates by SNI name, reloading them when their files change,
// over HTTP/1.1 only and asking no client certificate: for answers outside the pipeline, such
// as the command master's 503s while its application pool is stopped.
func NewTLSConfig(ep TLSEndpoint, logger *slog.Logger) (*tls.Config, error) {
	store, err := newCertificateStore(ep.Certificates, logger)
	if err != nil {
		return nil, err
	}
	cfg := newTLSConfig(store, nil)
	cfg.NextProtos = []string{"http/1.1"}
	return cfg, nil
}

// newTLSConfig serves the store's certificates over TLS 1.2 and later, offering HTTP/2.
// clientAuth, when set, says per handshake whether a client certificate is asked for.
func newTLSConfig(store *certificateStore, clientAuth func(hello *tls.ClientHelloInfo) tls.ClientAuthType) *tls.Config {
	cfg := &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"h2", "http/1.1"},
		GetCertificate: store.getCertificate,
	}
	if clientAuth != nil {
		base := cfg.Clone()
		cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			auth := clientAuth(hello)
			if auth == tls.NoClientCert {
				return nil, nil
			}
			c := base.Clone()
			c.ClientAuth = auth
			return c, nil
		}
	}
	return cfg
}
