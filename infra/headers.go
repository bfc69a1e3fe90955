package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/jsii-runtime-go"
)

// headers are the site's security headers, read from the file the local server embeds
// (static/headers.json), so both send the same ones.
type headers map[string]string

func loadHeaders(path string) (headers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("infra: security headers: %w", err)
	}
	var f struct {
		Headers []struct{ Name, Value string } `json:"headers"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("infra: %s: %w", path, err)
	}
	h := headers{}
	for _, x := range f.Headers {
		h[x.Name] = x.Value
	}
	for _, need := range []string{"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"} {
		if h[need] == "" {
			return nil, fmt.Errorf("infra: %s has no %s", path, need)
		}
	}
	return h, nil
}

var referrerPolicies = map[string]awscloudfront.HeadersReferrerPolicy{
	"no-referrer":                     awscloudfront.HeadersReferrerPolicy_NO_REFERRER,
	"no-referrer-when-downgrade":      awscloudfront.HeadersReferrerPolicy_NO_REFERRER_WHEN_DOWNGRADE,
	"origin":                          awscloudfront.HeadersReferrerPolicy_ORIGIN,
	"origin-when-cross-origin":        awscloudfront.HeadersReferrerPolicy_ORIGIN_WHEN_CROSS_ORIGIN,
	"same-origin":                     awscloudfront.HeadersReferrerPolicy_SAME_ORIGIN,
	"strict-origin":                   awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN,
	"strict-origin-when-cross-origin": awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
}

var maxAge = regexp.MustCompile(`max-age=(\d+)`)

// policyProps maps the headers onto CloudFront's security headers, and the rest onto custom ones.
func (h headers) policyProps() *awscloudfront.ResponseHeadersPolicyProps {
	sec := &awscloudfront.ResponseSecurityHeadersBehavior{
		ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{ContentSecurityPolicy: jsii.String(h["Content-Security-Policy"]), Override: jsii.Bool(true)},
		ContentTypeOptions:    &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
	}
	hsts := h["Strict-Transport-Security"]
	age, _ := strconv.Atoi(append(maxAge.FindStringSubmatch(hsts), "", "0")[1])
	sec.StrictTransportSecurity = &awscloudfront.ResponseHeadersStrictTransportSecurity{
		AccessControlMaxAge: awscdk.Duration_Seconds(jsii.Number(float64(age))),
		IncludeSubdomains:   jsii.Bool(strings.Contains(hsts, "includeSubDomains")),
		Preload:             jsii.Bool(strings.Contains(hsts, "preload")),
		Override:            jsii.Bool(true),
	}
	if rp, ok := referrerPolicies[h["Referrer-Policy"]]; ok {
		sec.ReferrerPolicy = &awscloudfront.ResponseHeadersReferrerPolicy{ReferrerPolicy: rp, Override: jsii.Bool(true)}
	}
	if h["X-Frame-Options"] == "DENY" {
		sec.FrameOptions = &awscloudfront.ResponseHeadersFrameOptions{FrameOption: awscloudfront.HeadersFrameOption_DENY, Override: jsii.Bool(true)}
	}
	var custom []*awscloudfront.ResponseCustomHeader
	for _, name := range h.customNames() {
		custom = append(custom, &awscloudfront.ResponseCustomHeader{Header: jsii.String(name), Value: jsii.String(h[name]), Override: jsii.Bool(true)})
	}
	props := &awscloudfront.ResponseHeadersPolicyProps{
		Comment:                 jsii.String("ISSMP Study security headers (static/headers.json)"),
		SecurityHeadersBehavior: sec,
	}
	if len(custom) > 0 {
		props.CustomHeadersBehavior = &awscloudfront.ResponseCustomHeadersBehavior{CustomHeaders: &custom}
	}
	return props
}

// customNames are the headers CloudFront has no security field for, in a fixed order.
func (h headers) customNames() []string {
	var out []string
	for name := range h {
		switch name {
		case "Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options":
		default:
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
