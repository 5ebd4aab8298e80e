// Package packaging holds the files that install iishost (systemd, Kubernetes; the Dockerfile
// is at the root). Its tests check what can be checked without a cluster or a container engine.
package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// TestSystemdUnitVerifies runs systemd-analyze verify on the unit, its ExecStart pointed at an
// executable that exists here, and checks that reload is SIGHUP (which recycles the workers).
func TestSystemdUnitVerifies(t *testing.T) {
	unit, err := os.ReadFile(filepath.Join("systemd", "iishost.service"))
	require.NoError(t, err)
	assert.Contains(t, string(unit), "\nExecReload=/bin/kill -HUP $MAINPID\n")
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	copyPath := filepath.Join(t.TempDir(), "iishost.service")
	require.NoError(t, os.WriteFile(copyPath, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/iishost", exe)), 0o644))
	out, err := exec.Command("systemd-analyze", "verify", copyPath).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Empty(t, strings.TrimSpace(string(out)), "warnings")
}

type container struct {
	Args  []string
	Ports []struct {
		Name          string
		ContainerPort int `yaml:"containerPort"`
	}
	LivenessProbe  probe `yaml:"livenessProbe"`
	ReadinessProbe probe `yaml:"readinessProbe"`
}

type probe struct {
	HTTPGet struct{ Path, Port string } `yaml:"httpGet"`
}

// TestKubernetesManifests reads the manifests: the probes reach /healthz and /readyz on the
// port -admin listens on, and the Service's target is a port the container declares.
func TestKubernetesManifests(t *testing.T) {
	var deployment struct {
		Kind string
		Spec struct {
			Template struct {
				Spec struct{ Containers []container }
			}
		}
	}
	readYAML(t, filepath.Join("kubernetes", "deployment.yaml"), &deployment)
	require.Equal(t, "Deployment", deployment.Kind)
	require.Len(t, deployment.Spec.Template.Spec.Containers, 1)
	c := deployment.Spec.Template.Spec.Containers[0]

	ports := map[string]int{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	adminAt := slices.Index(c.Args, "-admin")
	require.GreaterOrEqual(t, adminAt, 0, "args %v", c.Args)
	require.Less(t, adminAt+1, len(c.Args))
	assert.Equal(t, ":9090", c.Args[adminAt+1])
	assert.Equal(t, 9090, ports["admin"])
	assert.Equal(t, probe{HTTPGet: struct{ Path, Port string }{"/healthz", "admin"}}, c.LivenessProbe)
	assert.Equal(t, probe{HTTPGet: struct{ Path, Port string }{"/readyz", "admin"}}, c.ReadinessProbe)
	listenAt := slices.Index(c.Args, "-listen")
	require.GreaterOrEqual(t, listenAt, 0, "args %v", c.Args)
	assert.Equal(t, ":8080", c.Args[listenAt+1])
	assert.Equal(t, 8080, ports["http"])

	var service struct {
		Kind string
		Spec struct {
			Ports []struct {
				TargetPort string `yaml:"targetPort"`
			}
		}
	}
	readYAML(t, filepath.Join("kubernetes", "service.yaml"), &service)
	require.Equal(t, "Service", service.Kind)
	require.Len(t, service.Spec.Ports, 1)
	assert.Contains(t, ports, service.Spec.Ports[0].TargetPort)
	assert.NotEqual(t, "admin", service.Spec.Ports[0].TargetPort, "the admin port stays inside the pod")
}

func readYAML(t *testing.T, path string, into any) {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, into), path)
}
