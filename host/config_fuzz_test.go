package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzConfig feeds the configuration reader arbitrary documents, seeded with the test
// configurations and the command's default one. It must return a configuration or an error
// in its documented form, never panic and never hang; a configuration it returns must answer
// EnabledModules and the endpoint plan.
func FuzzConfig(f *testing.F) {
	seeds, err := filepath.Glob("testdata/config/*.config")
	require.NoError(f, err)
	seeds = append(seeds, "../cmd/iishost/default.config")
	for _, name := range seeds {
		doc, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(string(doc))
	}
	f.Add(`<configuration><location path="."><system.webServer><modules><clear/><remove name="x"/></modules></system.webServer></location></configuration>`)
	f.Add(`<configuration><system.applicationHost><sites><site name="s" id="-1"><bindings><binding protocol="http" bindingInformation="[::1]:80:h"/></bindings></site></sites></system.applicationHost></configuration>`)
	f.Add(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "&a;">]><configuration>&a;</configuration>`)
	f.Fuzz(func(t *testing.T, doc string) {
		type result struct {
			c   *Config
			err error
		}
		done := make(chan result, 1)
		go func() {
			c, err := parseConfig(strings.NewReader(doc), "fuzz.config", configTestLookup)
			if err == nil {
				_, _ = c.EnabledModules()
				_, _ = configEndpoints(c)
			}
			done <- result{c, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(30 * time.Second): // a hang bound, not a timing check
			t.Fatal("the configuration reader did not return")
		}
		if r.err != nil {
			require.Nil(t, r.c)
			require.True(t, strings.HasPrefix(r.err.Error(), "config fuzz.config: "), "error form: %v", r.err)
			return
		}
		require.NotNil(t, r.c)
	})
}
