package host

import (
	"time"

	"github.com/iishost/iishost/internal/cabi"
)

// DefaultStatusInFlight is how many requests in flight Status lists when
// Options.StatusInFlight is 0; it counts them all either way.
const DefaultStatusInFlight = 100

// Status is what the status page shows of one server (cmd/iishost -admin): its sites, its
// modules and their time in each notification, the requests in flight and where each is, the
// recent failures and the counters.
type Status struct {
	Time    time.Time      `json:"time"`
	Sites   []SiteStatus   `json:"sites"`
	Modules []ModuleStatus `json:"modules"`
	// InFlight lists at most Options.StatusInFlight of the InFlightTotal requests in flight;
	// Parked of them wait for a module's completion (they returned pending).
	InFlight      []InFlightRequest `json:"inFlight"`
	InFlightTotal int               `json:"inFlightTotal"`
	Parked        int               `json:"parked"`
	Failures      []FailedRequest   `json:"failures"` // newest first
	Counters      Counters          `json:"counters"`
}

// SiteStatus is a site, its bindings (protocol://information) and the requests it served.
type SiteStatus struct {
	Name     string   `json:"name"`
	ID       uint32   `json:"id"`
	Bindings []string `json:"bindings"`
	Requests int64    `json:"requests"`
	Failed   int64    `json:"failed"` // status 400 or more
}

// ModuleStatus is a loaded module: its subscriptions (with any priority other than MEDIUM) and
// the time it spent in each notification.
type ModuleStatus struct {
	Name                string     `json:"name"`
	Image               string     `json:"image"`
	Notifications       []string   `json:"notifications"`
	PostNotifications   []string   `json:"postNotifications"`
	GlobalNotifications []string   `json:"globalNotifications"`
	Calls               []CallTime `json:"calls"`
}

// CallTime is the time a module spent in one notification's calls; each call's time includes
// the notifications raised inside it (RQ_SEND_RESPONSE from a Flush, say).
type CallTime struct {
	Notification string        `json:"notification"`
	Calls        uint64        `json:"calls"`
	Time         time.Duration `json:"timeNs"`
}

// InFlightRequest is a request being served and where it is now: the module and notification
// running, or, Parked, the call that returned pending while the request waits for its
// completion; InModule is how long that call has run.
type InFlightRequest struct {
	Site         string        `json:"site"`
	Method       string        `json:"method"`
	URL          string        `json:"url"`
	Started      time.Time     `json:"started"`
	Module       string        `json:"module"`
	Notification string        `json:"notification"`
	InModule     time.Duration `json:"inModuleNs"`
	Parked       bool          `json:"parked"`
}

// Status reads the server's state now.
func (s *Server) Status() Status {
	st := Status{Time: time.Now(), Counters: s.Counters(), Failures: s.failures.recent()}
	outcomes := s.host.SiteStats()
	for i, site := range s.sites {
		ss := SiteStatus{Name: site.config.Name, ID: site.config.ID}
		for _, b := range site.config.Bindings {
			ss.Bindings = append(ss.Bindings, b.Protocol+"://"+b.Information)
		}
		if i < len(outcomes) {
			for code, n := range outcomes[i].Statuses {
				ss.Requests += n
				if code >= 400 {
					ss.Failed += n
				}
			}
		}
		st.Sites = append(st.Sites, ss)
	}
	for _, m := range s.modules {
		reg := &m.Registration
		ms := ModuleStatus{Name: m.Name, Image: m.Image,
			Notifications:       describeMask(reg.RequestMask, requestNotificationNames, &reg.RequestPriority),
			PostNotifications:   describeMask(reg.PostMask, requestNotificationNames, &reg.PostPriority),
			GlobalNotifications: describeMask(reg.GlobalMask, globalNotificationNames, &reg.GlobalPriority)}
		for _, c := range s.host.CallTimes(m.Index) {
			ms.Calls = append(ms.Calls, CallTime(c))
		}
		st.Modules = append(st.Modules, ms)
	}
	list, total, parked := s.host.InFlight(s.statusInFlight)
	st.InFlightTotal, st.Parked = total, parked
	for _, r := range list {
		st.InFlight = append(st.InFlight, InFlightRequest{Site: s.siteName(r.Site), Method: r.Method, URL: r.URL,
			Started: r.Started, Module: r.Module, Notification: r.Notification, InModule: r.InCall, Parked: r.Parked})
	}
	return st
}

// siteOutcomes pairs each site's name with its request outcomes, for metrics.
func (s *Server) siteOutcomes() ([]string, []cabi.SiteStats) {
	outcomes := s.host.SiteStats()
	names := make([]string, len(outcomes))
	for i := range outcomes {
		names[i] = s.siteName(i)
	}
	return names, outcomes
}
