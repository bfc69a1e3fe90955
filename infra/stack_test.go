package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// synth builds the stack over the test fixtures (a tiny built site and a stand-in bootstrap) and
// returns its template.
func synth(t *testing.T, sync bool) assertions.Template {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack, err := NewSiteStack(app, "Test", SiteProps{
		SiteDir:         "testdata/public",
		LambdaDir:       "testdata/lambda",
		HeadersFile:     "../static/headers.json",
		Sync:            sync,
		SyncConcurrency: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	return assertions.Template_FromStack(stack, nil)
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
					"OriginRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac", // AllViewerExceptHostHeader
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

// The function may do to the table exactly what the handler does, and nothing to anything else.
func TestTheFunctionsIAMPolicyIsTheTablesFourActions(t *testing.T) {
	tpl := synth(t, true)
	policies := tpl.FindResources(jsii.String("AWS::IAM::Policy"), nil)
	var found []any
	for _, p := range *policies {
		raw, _ := json.Marshal(p)
		if !strings.Contains(string(raw), "dynamodb:") {
			continue
		}
		var doc struct {
			Properties struct {
				PolicyDocument struct {
					Statement []struct {
						Action   any
						Effect   string
						Resource any
					}
				}
			}
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		for _, st := range doc.Properties.PolicyDocument.Statement {
			if st.Effect != "Allow" {
				continue
			}
			acts, _ := st.Action.([]any)
			if s, ok := st.Action.(string); ok {
				acts = []any{s}
			}
			found = append(found, acts...)
			res, _ := json.Marshal(st.Resource)
			if strings.Contains(string(res), `"*"`) {
				t.Errorf("a statement reaches every resource: %s", res)
			}
		}
	}
	want := map[string]bool{"dynamodb:GetItem": true, "dynamodb:PutItem": true, "dynamodb:UpdateItem": true, "dynamodb:Query": true}
	got := map[string]bool{}
	for _, a := range found {
		got[a.(string)] = true
	}
	if len(got) != len(want) {
		t.Errorf("the function may %v; want exactly %v", got, want)
	}
	for a := range want {
		if !got[a] {
			t.Errorf("the function may not %s, which the handler needs", a)
		}
	}
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
