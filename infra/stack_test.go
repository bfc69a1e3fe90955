package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// fixtures are the stack's props over the test fixtures: a tiny built site and stand-in bootstraps.
func fixtures(sync bool) SiteProps {
	return SiteProps{
		SiteDir:         "testdata/public",
		LambdaDir:       "testdata/lambda",
		SweeperDir:      "testdata/sweeper",
		HeadersFile:     "../static/headers.json",
		Sync:            sync,
		SyncConcurrency: 10,
	}
}

// synth builds the stack without an environment, as a plain `cdk synth` does, and returns its
// template: one stack, the web ACL included.
func synth(t *testing.T, sync bool) assertions.Template {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack, edge, err := defineStacks(app, "Test", fixtures(sync))
	if err != nil {
		t.Fatal(err)
	}
	if edge != nil {
		t.Fatal("an environment-agnostic synth made an edge stack")
	}
	return assertions.Template_FromStack(stack, nil)
}

// synthIn builds the stacks for a deployment to region, as `make deploy` does with credentials,
// and returns the site's template and the edge stack's (nil without one).
func synthIn(t *testing.T, region string, sync bool) (site, edge assertions.Template) {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	p := fixtures(sync)
	p.Env = &awscdk.Environment{Account: jsii.String("111111111111"), Region: &region}
	s, e, err := defineStacks(app, "Test", p)
	if err != nil {
		t.Fatal(err)
	}
	if e != nil {
		edge = assertions.Template_FromStack(e, nil)
	}
	return assertions.Template_FromStack(s, nil), edge
}

func sharedHeaders(t *testing.T) headers {
	h, err := loadHeaders("../static/headers.json")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func props(m map[string]any) *map[string]any { return &m }

func TestTheStackServesThePrivateBucketThroughCloudFront(t *testing.T) {
	tpl := synth(t, true)
	tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), props(map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
	}))
	tpl.ResourceCountIs(jsii.String("AWS::CloudFront::OriginAccessControl"), jsii.Number(2)) // the bucket and the function URL
	tpl.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), props(map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{
			"HttpVersion":       "http2and3",
			"DefaultRootObject": "index.html",
			"DefaultCacheBehavior": assertions.Match_ObjectLike(&map[string]any{
				"Compress":             true,
				"ViewerProtocolPolicy": "redirect-to-https",
				"FunctionAssociations": assertions.Match_AnyValue(),
			}),
			"CacheBehaviors": assertions.Match_ArrayWith(&[]any{
				assertions.Match_ObjectLike(&map[string]any{"PathPattern": "/wasm/*", "Compress": true, "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}),
				assertions.Match_ObjectLike(&map[string]any{"PathPattern": "/bank/*", "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}),
				assertions.Match_ObjectLike(&map[string]any{
					"PathPattern":           "/api/*",
					"CachePolicyId":         "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // CachingDisabled
					"OriginRequestPolicyId": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^ApiRequests"))},
					"AllowedMethods":        assertions.Match_ArrayWith(&[]any{"POST"}),
					"ViewerProtocolPolicy":  "https-only",
				}),
			}),
			"CustomErrorResponses": []any{map[string]any{"ErrorCode": 404, "ResponseCode": 404, "ResponsePagePath": "/404.html", "ErrorCachingMinTTL": 60}},
		}),
	}))
	// HTML: short and revalidated; fingerprinted files: a year, immutable.
	tpl.HasResourceProperties(jsii.String("AWS::CloudFront::CachePolicy"), props(map[string]any{
		"CachePolicyConfig": assertions.Match_ObjectLike(&map[string]any{
			"DefaultTTL": 300, "MinTTL": 0, "MaxTTL": 3600,
			"ParametersInCacheKeyAndForwardedToOrigin": assertions.Match_ObjectLike(&map[string]any{"EnableAcceptEncodingBrotli": true, "EnableAcceptEncodingGzip": true}),
		}),
	}))
	tpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), props(map[string]any{
		"SystemMetadata": map[string]any{"cache-control": cacheImmutable},
	}))
	tpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), props(map[string]any{
		"SystemMetadata":             map[string]any{"cache-control": cacheImmutable, "content-encoding": "br", "content-type": "application/wasm"},
		"DestinationBucketKeyPrefix": "wasm/",
	}))
	tpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), props(map[string]any{
		"SystemMetadata":    map[string]any{"cache-control": cacheShort},
		"DistributionPaths": []any{"/*"},
		"Prune":             true,
	}))
}

func TestTheResponseHeadersAreTheLocalServersHeaders(t *testing.T) {
	tpl := synth(t, false)
	h := sharedHeaders(t)
	tpl.HasResourceProperties(jsii.String("AWS::CloudFront::ResponseHeadersPolicy"), props(map[string]any{
		"ResponseHeadersPolicyConfig": assertions.Match_ObjectLike(&map[string]any{
			"SecurityHeadersConfig": map[string]any{
				"ContentSecurityPolicy":   map[string]any{"ContentSecurityPolicy": h["Content-Security-Policy"], "Override": true},
				"ContentTypeOptions":      map[string]any{"Override": true},
				"FrameOptions":            map[string]any{"FrameOption": "DENY", "Override": true},
				"ReferrerPolicy":          map[string]any{"ReferrerPolicy": h["Referrer-Policy"], "Override": true},
				"StrictTransportSecurity": map[string]any{"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": true, "Preload": false, "Override": true},
			},
			"CustomHeadersConfig": map[string]any{"Items": assertions.Match_ArrayWith(&[]any{
				map[string]any{"Header": "Permissions-Policy", "Value": h["Permissions-Policy"], "Override": true},
			})},
		}),
	}))
	csp := h["Content-Security-Policy"]
	if !strings.Contains(csp, "'wasm-unsafe-eval'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("the shared CSP is not the strict one: %s", csp)
	}
}

func TestTheSyncFunctionIsArmAL2023BehindAnIAMFunctionURLWithACeiling(t *testing.T) {
	tpl := synth(t, true)
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), props(map[string]any{
		"Runtime":                      "provided.al2023",
		"Architectures":                []any{"arm64"},
		"Handler":                      "bootstrap",
		"ReservedConcurrentExecutions": 10,
		"Environment":                  map[string]any{"Variables": map[string]any{"TABLE_NAME": assertions.Match_AnyValue()}},
	}))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Url"), props(map[string]any{
		"AuthType": "AWS_IAM", "InvokeMode": "RESPONSE_STREAM",
	}))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), props(map[string]any{
		"Action": "lambda:InvokeFunctionUrl", "Principal": "cloudfront.amazonaws.com",
	}))
	tpl.HasResource(jsii.String("AWS::DynamoDB::GlobalTable"), props(map[string]any{
		"Properties": assertions.Match_ObjectLike(&map[string]any{
			"BillingMode": "PAY_PER_REQUEST",
			"KeySchema":   []any{map[string]any{"AttributeName": "log", "KeyType": "HASH"}, map[string]any{"AttributeName": "seq", "KeyType": "RANGE"}},
			"Replicas": []any{assertions.Match_ObjectLike(&map[string]any{
				"DeletionProtectionEnabled":        true,
				"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
			})},
		}),
		"DeletionPolicy": "Retain",
	}))
}

// Each function may do to the table exactly what its handler does, and nothing to anything else:
// the sync function never deletes, the sweeper only reads and deletes.
func TestEachFunctionsIAMPolicyIsExactlyWhatItsHandlerDoes(t *testing.T) {
	tpl := synth(t, true)
	sync := permissions(t, tpl, "ISSMP Study sync:")
	want := map[string]string{"dynamodb:GetItem": "table", "dynamodb:PutItem": "table", "dynamodb:UpdateItem": "table", "dynamodb:Query": "table"}
	if !maps.Equal(sync, want) {
		t.Errorf("the sync function may %v; want exactly %v", sync, want)
	}
	sweeper := permissions(t, tpl, "ISSMP Study sweeper:")
	want = map[string]string{
		"dynamodb:GetItem": "table", "dynamodb:Query": "table", "dynamodb:BatchWriteItem": "table",
		"dynamodb:DescribeStream": "stream", "dynamodb:GetRecords": "stream", "dynamodb:GetShardIterator": "stream", // the event source's poller
		"dynamodb:ListStreams": "stream",
	}
	if !maps.Equal(sweeper, want) {
		t.Errorf("the sweeper may %v; want exactly %v", sweeper, want)
	}
}

// Reports (POST /api/report) need nothing more of the table than sync does, since the
// maintainer's command reads and handles them with the operator's own credentials; and they
// travel the /api/* behaviour to the sync function, never cached, with no viewer-request
// function that would redirect "/api/report" to "/api/report/".
func TestReportsReachTheSyncFunctionUncachedAndNeedNoMorePermissions(t *testing.T) {
	tpl := synth(t, true)
	sync := permissions(t, tpl, "ISSMP Study sync:")
	want := map[string]string{"dynamodb:GetItem": "table", "dynamodb:PutItem": "table", "dynamodb:UpdateItem": "table", "dynamodb:Query": "table"}
	if !maps.Equal(sync, want) {
		t.Errorf("the sync function may %v; want exactly %v", sync, want)
	}

	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties json.RawMessage
		}
	}
	raw, _ := json.Marshal(tpl.ToJSON())
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var dist struct {
		DistributionConfig struct {
			Origins []struct {
				Id         string
				DomainName json.RawMessage
			}
			CacheBehaviors []struct {
				PathPattern, TargetOriginId, CachePolicyId string
				AllowedMethods                             []string
				FunctionAssociations                       []any
			}
		}
	}
	urls, fn := map[string]string{}, ""
	for id, r := range doc.Resources {
		switch r.Type {
		case "AWS::CloudFront::Distribution":
			if err := json.Unmarshal(r.Properties, &dist); err != nil {
				t.Fatal(err)
			}
		case "AWS::Lambda::Url":
			var u struct{ TargetFunctionArn map[string][]string }
			_ = json.Unmarshal(r.Properties, &u)
			urls[id] = u.TargetFunctionArn["Fn::GetAtt"][0]
		case "AWS::Lambda::Function":
			var f struct{ Description string }
			if json.Unmarshal(r.Properties, &f) == nil && strings.HasPrefix(f.Description, "ISSMP Study sync:") {
				fn = id
			}
		}
	}
	var api []string
	for _, b := range dist.DistributionConfig.CacheBehaviors {
		if b.PathPattern != "/api/*" && !strings.HasPrefix(b.PathPattern, "/api") {
			continue
		}
		api = append(api, b.PathPattern)
		if b.CachePolicyId != "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" { // CachingDisabled
			t.Errorf("%s is cached by policy %s; want CachingDisabled", b.PathPattern, b.CachePolicyId)
		}
		if !slices.Contains(b.AllowedMethods, "POST") {
			t.Errorf("%s allows %v; a report is a POST", b.PathPattern, b.AllowedMethods)
		}
		if len(b.FunctionAssociations) != 0 {
			t.Errorf("%s runs viewer functions %v: the directory index would redirect /api/report", b.PathPattern, b.FunctionAssociations)
		}
		target := ""
		for _, o := range dist.DistributionConfig.Origins {
			if o.Id == b.TargetOriginId {
				for url, owner := range urls {
					if strings.Contains(string(o.DomainName), `"`+url+`"`) && owner == fn {
						target = url
					}
				}
			}
		}
		if target == "" || fn == "" {
			t.Errorf("%s goes to origin %s, which is not the sync function's URL", b.PathPattern, b.TargetOriginId)
		}
	}
	if fmt.Sprint(api) != "[/api/*]" {
		t.Errorf("the API's behaviours are %v; want /api/* alone, which carries %s", api, "/api/report")
	}
}

// permissions returns what the role of the function whose description starts with desc may do:
// each allowed action, with what it applies to: "table" (the table and nothing else), "stream"
// (the table's stream), "*", or the resource's JSON. It fails on an action granted twice with
// different resources, and on a managed policy other than the basic execution role.
func permissions(t *testing.T, tpl assertions.Template, desc string) map[string]string {
	t.Helper()
	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties json.RawMessage
		}
	}
	raw, _ := json.Marshal(tpl.ToJSON())
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	table := ""
	for id, r := range doc.Resources {
		if r.Type == "AWS::DynamoDB::GlobalTable" {
			table = id
		}
	}
	role := ""
	for _, r := range doc.Resources {
		var fn struct {
			Description string
			Role        struct {
				GetAtt []string `json:"Fn::GetAtt"`
			}
		}
		if r.Type == "AWS::Lambda::Function" && json.Unmarshal(r.Properties, &fn) == nil && strings.HasPrefix(fn.Description, desc) {
			role = fn.Role.GetAtt[0]
		}
	}
	if role == "" || table == "" {
		t.Fatalf("no function %q or no table in the template", desc)
	}
	var managed struct{ ManagedPolicyArns []any }
	_ = json.Unmarshal(doc.Resources[role].Properties, &managed)
	if m, _ := json.Marshal(managed.ManagedPolicyArns); len(managed.ManagedPolicyArns) != 1 || !strings.Contains(string(m), "service-role/AWSLambdaBasicExecutionRole") {
		t.Errorf("the %q function's role has managed policies %s; want the basic execution role alone", desc, m)
	}
	got := map[string]string{}
	for _, r := range doc.Resources {
		var pol struct {
			Roles          []map[string]string
			PolicyDocument struct {
				Statement []struct {
					Action   any
					Effect   string
					Resource any
				}
			}
		}
		if r.Type != "AWS::IAM::Policy" || json.Unmarshal(r.Properties, &pol) != nil || !slices.ContainsFunc(pol.Roles, func(r map[string]string) bool { return r["Ref"] == role }) {
			continue
		}
		for _, st := range pol.PolicyDocument.Statement {
			if st.Effect != "Allow" {
				t.Errorf("unexpected %s statement", st.Effect)
				continue
			}
			res, _ := json.Marshal(st.Resource)
			on := string(res)
			switch {
			case on == `"*"`:
				on = "*"
			case strings.Contains(on, `"`+table+`","StreamArn"`) && !strings.Contains(strings.ReplaceAll(on, `"`+table+`","StreamArn"`, ""), table):
				on = "stream"
			case strings.Contains(on, table) && !strings.Contains(on, "StreamArn") && !strings.Contains(on, `"*"`):
				on = "table"
			}
			acts, _ := st.Action.([]any)
			if a, ok := st.Action.(string); ok {
				acts = []any{a}
			}
			for _, a := range acts {
				if prev, ok := got[a.(string)]; ok && prev != on {
					t.Errorf("%s is granted on %s and on %s", a, prev, on)
				}
				got[a.(string)] = on
			}
		}
	}
	return got
}

func TestTheTableExpiresMetaItemsAndStreamsTheirDeletions(t *testing.T) {
	tpl := synth(t, true)
	tpl.HasResourceProperties(jsii.String("AWS::DynamoDB::GlobalTable"), props(map[string]any{
		"TimeToLiveSpecification": map[string]any{"AttributeName": "expires", "Enabled": true},
		"StreamSpecification":     map[string]any{"StreamViewType": "OLD_IMAGE"},
	}))
}

func TestTheSweeperIsASmallArmFunctionWithItsOwnLogsAndCeiling(t *testing.T) {
	tpl := synth(t, true)
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), props(map[string]any{
		"Description":                  assertions.Match_StringLikeRegexp(jsii.String("^ISSMP Study sweeper:")),
		"Runtime":                      "provided.al2023",
		"Architectures":                []any{"arm64"},
		"Handler":                      "bootstrap",
		"MemorySize":                   128,
		"ReservedConcurrentExecutions": sweeperConcurrency,
		"Environment":                  map[string]any{"Variables": map[string]any{"TABLE_NAME": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^SyncLogs"))}}},
		"LoggingConfig":                map[string]any{"LogGroup": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^SweeperLog"))}},
	}))
	tpl.ResourcePropertiesCountIs(jsii.String("AWS::Logs::LogGroup"), props(map[string]any{"RetentionInDays": 30}), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::Lambda::EventSourceMapping"), jsii.Number(1))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), props(map[string]any{
		"EventSourceArn":             map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^SyncLogs")), "StreamArn"}},
		"FunctionName":               map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Sweeper"))},
		"StartingPosition":           "TRIM_HORIZON",
		"BatchSize":                  10,
		"BisectBatchOnFunctionError": true,
		"MaximumRetryAttempts":       10,
		"MaximumRecordAgeInSeconds":  86400,
	}))
}

// The event source mapping's filter, tried on the records DynamoDB's stream holds: only TTL's
// deletion of a log's meta item invokes the sweeper.
func TestTheSweeperSeesOnlyTTLDeletionsOfLogMetaItems(t *testing.T) {
	tpl := synth(t, true)
	var pattern map[string]any
	for _, r := range *tpl.FindResources(jsii.String("AWS::Lambda::EventSourceMapping"), nil) {
		var m struct {
			Properties struct {
				FilterCriteria struct{ Filters []struct{ Pattern string } }
			}
		}
		raw, _ := json.Marshal(r)
		if err := json.Unmarshal(raw, &m); err != nil || len(m.Properties.FilterCriteria.Filters) != 1 {
			t.Fatalf("want one filter: %s (%v)", raw, err)
		}
		if err := json.Unmarshal([]byte(m.Properties.FilterCriteria.Filters[0].Pattern), &pattern); err != nil {
			t.Fatal(err)
		}
	}
	const id = "0123456789abcdef0123456789abcdef"
	ttl := `"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"}`
	record := func(event, who, log, seq string) string {
		r := `{"eventName":"` + event + `","eventSource":"aws:dynamodb","dynamodb":{"Keys":{"log":{"S":"` + log + `"},"seq":{"N":"` + seq + `"}},"OldImage":{"log":{"S":"` + log + `"},"seq":{"N":"` + seq + `"},"last":{"N":"7"},"expires":{"N":"1700000000"}},"StreamViewType":"OLD_IMAGE"}`
		if who != "" {
			r += "," + who
		}
		return r + "}"
	}
	for _, c := range []struct {
		name, record string
		want         bool
	}{
		{"TTL deletes a log's meta item", record("REMOVE", ttl, id, "0"), true},
		{"TTL deletes a log starting with a letter", record("REMOVE", ttl, "f"+id[1:], "0"), true},
		{"a client deletes a meta item", record("REMOVE", "", id, "0"), false},
		{"someone else's service deletes it", record("REMOVE", `"userIdentity":{"type":"Service","principalId":"other.amazonaws.com"}`, id, "0"), false},
		{"TTL deletes a registration counter", record("REMOVE", ttl, "~reg~203.0.113.9~2026-12-07", "0"), false},
		{"a report is added", record("INSERT", "", "~reports", "1922349213000123456"), false},
		{"the maintainer deletes a report", record("REMOVE", "", "~reports", "1922349213000123456"), false},
		{"something deletes a report as TTL would", record("REMOVE", ttl, "~reports", "1922349213000123456"), false},
		{"a batch is deleted (by the sweeper)", record("REMOVE", "", id, "3"), false},
		{"TTL deletes a batch item", record("REMOVE", ttl, id, "10"), false},
		{"a log is registered", record("INSERT", "", id, "0"), false},
		{"a log's counter moves", record("MODIFY", "", id, "0"), false},
	} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(c.record), &rec); err != nil {
			t.Fatal(err)
		}
		if got := matches(pattern, rec); got != c.want {
			t.Errorf("%s: the sweeper is invoked: %v, want %v", c.name, got, c.want)
		}
	}
}

// matches is the part of Lambda's filter rule syntax the sweeper's filter uses: nested objects,
// and lists of exact strings or {"prefix": …} of which one must match.
func matches(pattern, event map[string]any) bool {
	for k, p := range pattern {
		v, ok := event[k]
		if !ok {
			return false
		}
		switch p := p.(type) {
		case map[string]any:
			sub, ok := v.(map[string]any)
			if !ok || !matches(p, sub) {
				return false
			}
		case []any:
			s, _ := v.(string)
			if !slices.ContainsFunc(p, func(alt any) bool {
				if m, ok := alt.(map[string]any); ok {
					prefix, _ := m["prefix"].(string)
					return len(m) == 1 && prefix != "" && strings.HasPrefix(s, prefix)
				}
				return alt == s
			}) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// The function reads the client's address from CloudFront-Viewer-Address, which no managed
// policy that also keeps Host away from the signed function URL forwards.
func TestTheAPIGetsTheClientAddressButNeverTheViewersHost(t *testing.T) {
	tpl := synth(t, true)
	tpl.HasResourceProperties(jsii.String("AWS::CloudFront::OriginRequestPolicy"), props(map[string]any{
		"OriginRequestPolicyConfig": assertions.Match_ObjectLike(&map[string]any{
			"HeadersConfig": map[string]any{
				"HeaderBehavior": "whitelist",
				"Headers":        []any{"Content-Type", "X-Sync-Token", "X-Amz-Content-Sha256", "CloudFront-Viewer-Address"},
			},
			"CookiesConfig":      map[string]any{"CookieBehavior": "none"},
			"QueryStringsConfig": map[string]any{"QueryStringBehavior": "none"},
		}),
	}))
	for _, h := range apiRequestHeaders {
		if strings.EqualFold(h, "Host") {
			t.Error("the API's origin request policy forwards Host: the function URL's signature would break")
		}
	}
}

// webACLRules returns the rules of the template's one web ACL, by name.
func webACLRules(t *testing.T, tpl assertions.Template) map[string]map[string]any {
	t.Helper()
	acls := *tpl.FindResources(jsii.String("AWS::WAFv2::WebACL"), nil)
	if len(acls) != 1 {
		t.Fatalf("%d web ACLs; want 1", len(acls))
	}
	rules := map[string]map[string]any{}
	for _, acl := range acls {
		p := (*acl)["Properties"].(map[string]any)
		if p["Scope"] != "CLOUDFRONT" {
			t.Errorf("the web ACL's scope is %v; want CLOUDFRONT", p["Scope"])
		}
		if _, ok := p["DefaultAction"].(map[string]any)["Allow"]; !ok {
			t.Errorf("the web ACL does not allow by default: %v", p["DefaultAction"])
		}
		for _, r := range p["Rules"].([]any) {
			r := r.(map[string]any)
			rules[r["Name"].(string)] = r
		}
	}
	return rules
}

// checkRateRule checks that rule blocks with a 429 above limit requests per 5 minutes, counted per
// key, on /api/ alone when api.
func checkRateRule(t *testing.T, rules map[string]map[string]any, name, key string, limit float64, api bool) {
	t.Helper()
	r, ok := rules[name]
	if !ok {
		t.Errorf("no rule %s", name)
		return
	}
	rate := r["Statement"].(map[string]any)["RateBasedStatement"].(map[string]any)
	if rate["AggregateKeyType"] != key || rate["Limit"] != limit || rate["EvaluationWindowSec"] != float64(300) {
		t.Errorf("%s counts %v per %v, %v a window; want %v per %s, 300 s", name, rate["Limit"], rate["AggregateKeyType"], rate["EvaluationWindowSec"], limit, key)
	}
	scope, _ := json.Marshal(rate["ScopeDownStatement"])
	wantScope := `{"ByteMatchStatement":{"FieldToMatch":{"UriPath":{}},"PositionalConstraint":"STARTS_WITH","SearchString":"/api/","TextTransformations":[{"Priority":0,"Type":"NONE"}]}}`
	if api && string(scope) != wantScope {
		t.Errorf("%s counts %s; want requests under /api/ alone", name, scope)
	}
	if !api && rate["ScopeDownStatement"] != nil {
		t.Errorf("%s counts only %s; want every request", name, scope)
	}
	block, _ := json.Marshal(r["Action"])
	if !strings.Contains(string(block), `"Block":{"CustomResponse":{`) || !strings.Contains(string(block), `"ResponseCode":429`) {
		t.Errorf("%s does %s; want a block with 429", name, block)
	}
}

func TestTheEdgeLimitsTheAPIPerAddressAndInTotalAndTheSitePerAddress(t *testing.T) {
	tpl := synth(t, true)
	rules := webACLRules(t, tpl)
	if len(rules) != 3 {
		t.Errorf("rules %v; want 3", slices.Collect(maps.Keys(rules)))
	}
	checkRateRule(t, rules, "ApiPerAddress", "IP", apiPerAddress, true)
	checkRateRule(t, rules, "ApiTotal", "CONSTANT", apiTotal, true)
	checkRateRule(t, rules, "SitePerAddress", "IP", sitePerAddress, false)
	if apiPerAddress != 300 || apiTotal != 6000 || sitePerAddress < 10*apiPerAddress {
		t.Errorf("limits %d, %d, %d: docs/COST.md works with 300 and 6,000 on /api/, and the site's limit must leave the API's room", apiPerAddress, apiTotal, sitePerAddress)
	}
	tpl.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), props(map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{
			"WebACLId": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^EdgeLimits")), "Arn"}},
		}),
	}))
	// One stack holds the ACL only where CloudFormation accepts it.
	rule, _ := json.Marshal(tpl.ToJSON())
	if !strings.Contains(string(rule), `"Assert":{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]}`) {
		t.Error("the single-stack template does not refuse regions other than us-east-1")
	}
}

func TestWithoutSyncTheEdgeKeepsTheSitesLimitAlone(t *testing.T) {
	rules := webACLRules(t, synth(t, false))
	if len(rules) != 1 {
		t.Errorf("rules %v; want SitePerAddress alone", slices.Collect(maps.Keys(rules)))
	}
	checkRateRule(t, rules, "SitePerAddress", "IP", sitePerAddress, false)
}

// Outside us-east-1 the ACL lives in its own stack there, which the site's distribution names.
func TestOutsideUsEast1TheWebACLIsAnEdgeStackInUsEast1(t *testing.T) {
	site, edge := synthIn(t, "eu-west-1", true)
	if edge == nil {
		t.Fatal("no edge stack for a site in eu-west-1")
	}
	checkRateRule(t, webACLRules(t, edge), "ApiTotal", "CONSTANT", apiTotal, true)
	site.ResourceCountIs(jsii.String("AWS::WAFv2::WebACL"), jsii.Number(0))
	site.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), props(map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{
			"WebACLId": map[string]any{"Fn::GetStackOutput": assertions.Match_ObjectLike(&map[string]any{"StackName": "TestEdge", "Region": "us-east-1"})},
		}),
	}))
	raw, _ := json.Marshal(site.ToJSON())
	if strings.Contains(string(raw), `"us-east-1"]}`) || strings.Contains(string(raw), "CrossRegionExport") {
		t.Error("the site stack still carries the us-east-1 rule, or a cross-region export custom resource")
	}

	site, edge = synthIn(t, "us-east-1", true)
	if edge != nil {
		t.Error("an edge stack for a site already in us-east-1")
	}
	site.ResourceCountIs(jsii.String("AWS::WAFv2::WebACL"), jsii.Number(1))
}

func TestWithoutSyncTheStackIsTheStaticSiteAlone(t *testing.T) {
	tpl := synth(t, false)
	tpl.ResourceCountIs(jsii.String("AWS::DynamoDB::GlobalTable"), jsii.Number(0))
	tpl.ResourceCountIs(jsii.String("AWS::Lambda::Url"), jsii.Number(0))
	dist := tpl.FindResources(jsii.String("AWS::CloudFront::Distribution"), nil)
	raw, _ := json.Marshal(dist)
	if strings.Contains(string(raw), "/api/*") {
		t.Error("a static-only site still routes /api/*")
	}
	if !strings.Contains(string(raw), "/css/*") {
		t.Error("the static site lost its fingerprinted behaviors")
	}
}

func TestStagingSplitsTheSiteAndDropsTheLocalCompressedCopies(t *testing.T) {
	s, err := stage("testdata/public")
	if err != nil {
		t.Fatal(err)
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	for _, p := range []string{filepath.Join(s.immutable, "css/main.min.0123456789abcdef0123.css"), filepath.Join(s.pages, "index.html"), filepath.Join(s.pages, "domain-1/index.html"), filepath.Join(s.wasm, "quiz.0123456789abcdef0123.wasm")} {
		if !exists(p) {
			t.Errorf("%s was not staged", p)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(s.wasm, "quiz.0123456789abcdef0123.wasm")); string(data) != "brotli bytes" {
		t.Error("the staged module is not the brotli copy")
	}
	for _, p := range []string{filepath.Join(s.immutable, "css/main.min.0123456789abcdef0123.css.gz"), filepath.Join(s.immutable, "wasm/quiz.0123456789abcdef0123.wasm"), filepath.Join(s.pages, "css")} {
		if exists(p) {
			t.Errorf("%s should not have been staged", p)
		}
	}
	if _, err := stage(t.TempDir()); err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("staging an empty folder: %v; want a hint to build", err)
	}
}

// The CloudFront Function redirects a folder to folder/ on the site's own host, whatever the path
// holds: "//evil.example/x" once answered Location "//evil.example/x/", another host.
func TestTheDirectoryIndexFunctionRedirectsOnlyWithinTheSite(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node runs the function here; it is on every machine that runs make test")
	}
	script := directoryIndexJS + `
const out = {};
for (const uri of JSON.parse(process.argv[1])) {
  const r = handler({ request: { uri } });
  out[uri] = r.statusCode ? r.headers.location.value : 'serve ' + r.uri;
}
console.log(JSON.stringify(out));`
	cases := map[string]string{
		"/domain-3":         "/domain-3/",
		"/domain-3/":        "serve /domain-3/index.html",
		"/app.css":          "serve /app.css",
		"//evil.example/x":  "/evil.example/x/",
		"///evil.example/x": "/evil.example/x/",
		`/\evil.example/x`:  "/evil.example/x/",
		`/\/evil.example/x`: "/evil.example/x/",
		`/a\b`:              "/a%5Cb/",
		"//2130706433":      "/2130706433/",
	}
	var uris []string
	for u := range cases {
		uris = append(uris, u)
	}
	arg, _ := json.Marshal(uris)
	out, err := exec.Command(node, "-e", script, string(arg)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got map[string]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for uri, want := range cases {
		if got[uri] != want {
			t.Errorf("%s → %q; want %q", uri, got[uri], want)
		}
		if strings.HasPrefix(got[uri], "//") || strings.HasPrefix(got[uri], `/\`) {
			t.Errorf("%s redirects to another host: %q", uri, got[uri])
		}
	}
}
