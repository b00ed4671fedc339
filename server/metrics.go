package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the Prometheus metrics of one handler. Each New gets its own
// registry (no global default registry), so tests and several servers in
// one process never share counters.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	searchTime prometheus.Histogram
}

// latencyBuckets spans 0.25 ms to 10 s: searches on the seeds take well
// under a millisecond, a bulk upload or a timeout takes seconds.
var latencyBuckets = []float64{.00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

func newMetrics(logger *slog.Logger, s Searcher) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsearch_http_requests_total",
			Help: "HTTP requests by route template, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsearch_http_request_duration_seconds",
			Help:    "HTTP request latency by route template.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		searchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newsearch_search_duration_seconds",
			Help:    "Time the index spent on a search, facets and highlights included.",
			Buckets: latencyBuckets,
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.searchTime,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&indexCollector{logger: logger, s: s},
	)
	return m
}

// observe records one finished request.
func (m *metrics) observe(r *http.Request, status int, d time.Duration) {
	route := routeOf(r)
	m.requests.WithLabelValues(route, methodLabel(r.Method), strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// methodLabel is the method's label value: any method outside HTTP's
// own is "other", so that a client sending made-up methods cannot add a
// series per name.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return method
	}
	return "other"
}

// routeOf names the request's route by its template, so label values stay
// few whatever paths clients send.
func routeOf(r *http.Request) string {
	if cr := mux.CurrentRoute(r); cr != nil {
		if t, err := cr.GetPathTemplate(); err == nil {
			return t
		}
	}
	return "unmatched"
}

// handleMetrics serves GET /metrics in the Prometheus text format.
func handleMetrics(m *metrics) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// indexCollector reports the index's size and history at scrape time.
type indexCollector struct {
	logger *slog.Logger
	s      Searcher
}

var (
	descDocs     = prometheus.NewDesc("newsearch_index_documents", "Articles in the live index.", nil, nil)
	descDisk     = prometheus.NewDesc("newsearch_index_size_bytes", "Size of the live index on disk.", nil, nil)
	descOpens    = prometheus.NewDesc("newsearch_index_opens_total", "Indexes opened by this process.", nil, nil)
	descRebuilds = prometheus.NewDesc("newsearch_index_rebuilds_total", "Indexes built by this process.", nil, nil)
	descCache    = prometheus.NewDesc("newsearch_query_cache_total", "Searches by query cache outcome.", []string{"outcome"}, nil)
	descBuilt    = prometheus.NewDesc("newsearch_index_built_articles", "Articles indexed by the build the live index came from.", nil, nil)
	descReady    = prometheus.NewDesc("newsearch_index_ready", "1 once the index is open and serving.", nil, nil)
)

func (c *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descDocs, descDisk, descOpens, descRebuilds, descCache, descBuilt, descReady} {
		ch <- d
	}
}

func (c *indexCollector) Collect(ch chan<- prometheus.Metric) {
	st, err := c.s.Stats()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descReady, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descReady, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descDocs, prometheus.GaugeValue, float64(st.Articles))
	ch <- prometheus.MustNewConstMetric(descDisk, prometheus.GaugeValue, float64(st.DiskBytes))
	ch <- prometheus.MustNewConstMetric(descOpens, prometheus.CounterValue, float64(st.Opens))
	ch <- prometheus.MustNewConstMetric(descRebuilds, prometheus.CounterValue, float64(st.Rebuilds))
	ch <- prometheus.MustNewConstMetric(descCache, prometheus.CounterValue, float64(st.CacheHits), "hit")
	ch <- prometheus.MustNewConstMetric(descCache, prometheus.CounterValue, float64(st.CacheMisses), "miss")
	ch <- prometheus.MustNewConstMetric(descBuilt, prometheus.GaugeValue, float64(st.Build.Articles))
}
