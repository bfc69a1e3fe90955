package static

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// headersJSON is the one definition of the site's security headers; infra/ reads the same file
// for CloudFront.
//
//go:embed headers.json
var headersJSON []byte

// Header is one response header.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SecurityHeaders returns the site's security headers, from headers.json.
func SecurityHeaders() ([]Header, error) {
	var f struct {
		Headers []Header `json:"headers"`
	}
	if err := json.Unmarshal(headersJSON, &f); err != nil {
		return nil, fmt.Errorf("static: headers.json: %w", err)
	}
	if len(f.Headers) == 0 {
		return nil, fmt.Errorf("static: headers.json lists no headers")
	}
	return f.Headers, nil
}

// WithSecurityHeaders sends the security headers on every response of h.
func WithSecurityHeaders(h http.Handler) (http.Handler, error) {
	hs, err := SecurityHeaders()
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, x := range hs {
			w.Header().Set(x.Name, x.Value)
		}
		h.ServeHTTP(w, r)
	}), nil
}
