package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/iishost/iishost/internal/frontdoor"
)

// ClientCertificateTrust says whether the client's certificate (state.PeerCertificates[0])
// chains to a trusted root.
type ClientCertificateTrust func(state *tls.ConnectionState) bool

// SetClientCertificateTrust sets the check; without one no client certificate is trusted. It
// may be called while serving.
func (h *Host) SetClientCertificateTrust(p ClientCertificateTrust) { h.clientCerts.Store(&p) }

// appendTLS sets the meta's TLS facts and appends its strings (bridge.h's IIS_TLS_* order);
// over plain HTTP it clears them and appends nothing. The work is in appendTLSState, whose
// large frame a plain request's goroutine then never needs: its stack stays small enough to
// stay at its first size while the request is parked (bytes per parked request).
func (s *slot) appendTLS(b []byte, m *C.iis_request_meta, r *http.Request, route *Route) []byte {
	m.https, m.tls_key_bits, m.tls_server_key_bits, m.tls_client_flags = 0, 0, 0, 0
	m.tls_len = [C.IIS_TLS_STRINGS]C.uint32_t{}
	state := frontdoor.TLSState(r)
	if state == nil {
		return b
	}
	return s.appendTLSState(b, m, r, route, state)
}

func (s *slot) appendTLSState(b []byte, m *C.iis_request_meta, r *http.Request, route *Route, state *tls.ConnectionState) []byte {
	m.https = 1
	m.tls_key_bits = C.uint16_t(cipherKeyBits(state.CipherSuite))
	var strs [C.IIS_TLS_STRINGS][]byte
	if served := frontdoor.ServerCertificate(r); served != nil && served.Leaf != nil {
		m.tls_server_key_bits = C.uint16_t(min(publicKeyBits(served.Leaf.PublicKey), 0xFFFF))
		strs[C.IIS_TLS_SERVER_ISSUER] = []byte(certName(served.Leaf.RawIssuer))
		strs[C.IIS_TLS_SERVER_SUBJECT] = []byte(certName(served.Leaf.RawSubject))
	}
	trusted := false
	if p := s.host.clientCerts.Load(); p != nil && len(state.PeerCertificates) > 0 {
		trusted = (*p)(state)
	}
	if route.ClientCertAsked {
		m.tls_client_flags = C.IIS_TLS_CLIENT_ASKED
	}
	if len(state.PeerCertificates) > 0 {
		client := state.PeerCertificates[0]
		m.tls_client_flags |= 1
		if !trusted {
			m.tls_client_flags |= 2
		}
		strs[C.IIS_TLS_CLIENT_SUBJECT] = []byte(certName(client.RawSubject))
		strs[C.IIS_TLS_CLIENT_ISSUER] = []byte(certName(client.RawIssuer))
		strs[C.IIS_TLS_CLIENT_SERIAL] = []byte(serialText(client.SerialNumber.Bytes()))
		sum := sha256.Sum256(client.Raw)
		strs[C.IIS_TLS_CLIENT_COOKIE] = []byte(hex.EncodeToString(sum[:16]))
		strs[C.IIS_TLS_CLIENT_DER] = client.Raw
	}
	for i, v := range strs {
		m.tls_len[i] = C.uint32_t(len(v))
		b = append(b, v...)
	}
	return b
}

// cipherKeyBits is the bulk cipher's key size of a TLS 1.2 or 1.3 suite (HTTPS_KEYSIZE).
func cipherKeyBits(suite uint16) int {
	name := tls.CipherSuiteName(suite)
	switch {
	case strings.Contains(name, "AES_128"):
		return 128
	case strings.Contains(name, "AES_256"), strings.Contains(name, "CHACHA20"):
		return 256
	case strings.Contains(name, "3DES"):
		return 168
	}
	return 0
}

// publicKeyBits is a certificate key's size in bits (HTTPS_SECRETKEYSIZE).
func publicKeyBits(key any) int {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen()
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return 256
	}
	return 0
}

// shortNames are the attribute names Windows prints in a certificate's distinguished name.
var shortNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "S", "2.5.4.9": "STREET",
	"2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.5": "SERIALNUMBER", "2.5.4.12": "T", "2.5.4.42": "G",
	"2.5.4.4": "SN", "1.2.840.113549.1.9.1": "E", "0.9.2342.19200300.100.1.25": "DC",
}

// certName renders a DER distinguished name as IIS's CERT_SUBJECT does: "C=US, O=Example,
// CN=name", attributes in their encoded order, a value quoted when it holds a separator.
func certName(raw []byte) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) > 0 {
		return ""
	}
	var out []string
	for _, rdn := range seq {
		for _, atv := range rdn {
			key := atv.Type.String()
			if short, ok := shortNames[key]; ok {
				key = short
			} else {
				key = "OID." + key
			}
			v, ok := atv.Value.(string)
			if !ok {
				continue // a value that is not text (rare): left out rather than shown as bytes
			}
			if strings.ContainsAny(v, ",=+<>#;\"\n") || strings.TrimSpace(v) != v {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			out = append(out, key+"="+v)
		}
	}
	return strings.Join(out, ", ")
}

// serialText prints a serial number as IIS's CERT_SERIALNUMBER: hex bytes joined by '-'.
func serialText(b []byte) string {
	if len(b) == 0 {
		b = []byte{0}
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	return sb.String()
}
