package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
)

func TestReadPool(t *testing.T) {
	pools := func(inner string) string {
		return `<configuration><system.applicationHost><applicationPools>` + inner +
			`</applicationPools></system.applicationHost></configuration>`
	}
	tests := []struct {
		name, doc string
		want      poolSettings
		err       string
	}{
		{"no section", `<configuration/>`, poolSettings{rapidFail: defaultRapidFail, startupTimeLimit: 90 * time.Second, restartAfter: 29 * time.Hour,
			ping: defaultPing, shutdownTimeLimit: 90 * time.Second}, ""},
		{"defaults, then the pool's own", pools(`
<applicationPoolDefaults><failure rapidFailProtectionMaxCrashes="9" rapidFailProtectionInterval="00:01:30"/>
  <processModel maxProcesses="3"/></applicationPoolDefaults>
<add name="OtherPool"><failure rapidFailProtection="false"/></add>
<add name="defaultapppool"><failure rapidFailProtectionMaxCrashes="2"/><processModel maxProcesses="4" startupTimeLimit="00:00:07"
  pingingEnabled="false" pingInterval="00:00:05" pingResponseTime="00:00:06" shutdownTimeLimit="00:00:08"/>
  <recycling><periodicRestart privateMemory="512000" memory="1024000" time="00:00:00" requests="1000"/></recycling></add>`),
			poolSettings{rapidFail: rapidFail{enabled: true, maxCrashes: 2, interval: 90 * time.Second}, maxProcesses: 4,
				startupTimeLimit: 7 * time.Second, privateMemoryKB: 512000, virtualMemoryKB: 1024000, restartRequests: 1000,
				ping: pingPolicy{interval: 5 * time.Second, responseTime: 6 * time.Second}, shutdownTimeLimit: 8 * time.Second}, ""},
		{"protection off", pools(`<applicationPoolDefaults><failure rapidFailProtection="false"/></applicationPoolDefaults>`),
			poolSettings{rapidFail: rapidFail{enabled: false, maxCrashes: 5, interval: 5 * time.Minute}, startupTimeLimit: 90 * time.Second,
				restartAfter: 29 * time.Hour, ping: defaultPing, shutdownTimeLimit: 90 * time.Second}, ""},
		{"negative crash count", pools(`<applicationPoolDefaults><failure rapidFailProtectionMaxCrashes="-1"/></applicationPoolDefaults>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool rapidFailProtectionMaxCrashes="-1": strconv.ParseUint: parsing "-1": invalid syntax`},
		{"interval not a time span", pools(`<add name="DefaultAppPool"><failure rapidFailProtectionInterval="5m"/></add>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool rapidFailProtectionInterval="5m": "5m" is not a time span ([d.]hh:mm:ss)`},
		{"zero interval", pools(`<applicationPoolDefaults><failure rapidFailProtectionInterval="00:00:00"/></applicationPoolDefaults>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool rapidFailProtectionInterval="00:00:00": must be longer than 0`},
		{"zero processes", pools(`<applicationPoolDefaults><processModel maxProcesses="0"/></applicationPoolDefaults>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool maxProcesses="0": 0 (a worker per NUMA node) is not supported; give a count`},
		{"zero startup limit", pools(`<applicationPoolDefaults><processModel startupTimeLimit="0.00:00:00"/></applicationPoolDefaults>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool startupTimeLimit="0.00:00:00": must be longer than 0`},
		{"private memory not a number", pools(`<applicationPoolDefaults><recycling><periodicRestart privateMemory="lots"/></recycling></applicationPoolDefaults>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool privateMemory="lots": strconv.ParseUint: parsing "lots": invalid syntax`},
		{"too many processes", pools(`<applicationPoolDefaults><processModel maxProcesses="65"/></applicationPoolDefaults>`),
			poolSettings{}, `config t.config: application pool DefaultAppPool maxProcesses="65": at most 64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := host.ParseConfig(strings.NewReader(tt.doc), "t.config")
			require.NoError(t, err)
			got, err := readPool(cfg)
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, tt.err, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRapidFailCountsWithinTheInterval(t *testing.T) {
	p := rapidFail{enabled: true, maxCrashes: 2, interval: time.Minute}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var history []time.Time
	var trip bool
	for i, at := range []time.Duration{0, 30 * time.Second, 61 * time.Second} {
		history, trip = p.failed(history, start.Add(at))
		assert.False(t, trip, "failure %d: at most 2 within a minute (the first fell out)", i+1)
	}
	history, trip = p.failed(history, start.Add(62*time.Second))
	assert.True(t, trip, "a third failure within a minute: more than 2")
	assert.Len(t, history, 3)
	_, trip = rapidFail{enabled: false, maxCrashes: 2, interval: time.Minute}.failed(history, start.Add(63*time.Second))
	assert.False(t, trip, "protection off")
}
