package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Edge rate limits, enforced by AWS WAF in front of CloudFront before a request reaches the sync
// function or the bucket. Each counts requests over a sliding 5-minute window (WAF's evaluation
// window) and blocks with a 429 while the rate stays above the limit. docs/COST.md works out what
// they bound.
const (
	wafWindowSeconds = 300
	// One client address on /api/: a busy candidate's device makes a round (a pull and a push)
	// every few answers, well under 60 requests a minute.
	apiPerAddress = 300
	// Every client together on /api/: a ceiling on what the sync function and DynamoDB are asked
	// to do, whatever the number of addresses an abuser has.
	apiTotal = 6000
	// One client address on the whole site: a visit loads a few dozen files, once (the service
	// worker keeps them); 10 a second for 5 minutes is far beyond a reader's pace.
	sitePerAddress = 3000
)

// edgeRegion is the only region where CloudFormation creates a web ACL of scope CLOUDFRONT.
const edgeRegion = "us-east-1"

// EdgeProps says what the edge stack protects.
type EdgeProps struct {
	awscdk.StackProps
	Sync bool // the distribution routes /api/* to the sync function: add the API's rules
}

// NewEdgeStack defines the stack that holds the distribution's web ACL when the site stack lives
// outside us-east-1. It must be deployed to us-east-1 (p.Env.Region); the site stack reads the
// ACL's ARN across regions (defineStacks).
func NewEdgeStack(scope constructs.Construct, id string, p EdgeProps) (awscdk.Stack, awswafv2.CfnWebACL) {
	stack := awscdk.NewStack(scope, &id, &p.StackProps)
	return stack, newWebACL(stack, p.Sync)
}

// newWebACL defines the CLOUDFRONT-scope web ACL: per-address and global rate limits on /api/
// (when sync), and a generous per-address limit on the whole site. Everything else is allowed.
func newWebACL(scope constructs.Construct, sync bool) awswafv2.CfnWebACL {
	apiPath := &awswafv2.CfnWebACL_StatementProperty{
		ByteMatchStatement: &awswafv2.CfnWebACL_ByteMatchStatementProperty{
			FieldToMatch:         &awswafv2.CfnWebACL_FieldToMatchProperty{UriPath: map[string]any{}},
			PositionalConstraint: jsii.String("STARTS_WITH"),
			SearchString:         jsii.String("/api/"),
			TextTransformations:  []any{&awswafv2.CfnWebACL_TextTransformationProperty{Priority: jsii.Number(0), Type: jsii.String("NONE")}},
		},
	}
	rule := func(name string, priority float64, rate *awswafv2.CfnWebACL_RateBasedStatementProperty, body string) any {
		return &awswafv2.CfnWebACL_RuleProperty{
			Name:      &name,
			Priority:  &priority,
			Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: rate},
			Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{
				CustomResponse: &awswafv2.CfnWebACL_CustomResponseProperty{
					ResponseCode:          jsii.Number(429),
					CustomResponseBodyKey: &body,
					// The client waits a minute after a 429 anyway (docs/SYNC.md).
					ResponseHeaders: []any{&awswafv2.CfnWebACL_CustomHTTPHeaderProperty{Name: jsii.String("Retry-After"), Value: jsii.String("60")}},
				},
			}},
			VisibilityConfig: visibility(name),
		}
	}
	var rules []any
	if sync {
		rules = append(rules,
			rule("ApiPerAddress", 0, &awswafv2.CfnWebACL_RateBasedStatementProperty{
				AggregateKeyType: jsii.String("IP"), Limit: jsii.Number(apiPerAddress), EvaluationWindowSec: jsii.Number(wafWindowSeconds),
				ScopeDownStatement: apiPath,
			}, "api"),
			rule("ApiTotal", 1, &awswafv2.CfnWebACL_RateBasedStatementProperty{
				AggregateKeyType: jsii.String("CONSTANT"), Limit: jsii.Number(apiTotal), EvaluationWindowSec: jsii.Number(wafWindowSeconds),
				ScopeDownStatement: apiPath,
			}, "api"),
		)
	}
	rules = append(rules, rule("SitePerAddress", 2, &awswafv2.CfnWebACL_RateBasedStatementProperty{
		AggregateKeyType: jsii.String("IP"), Limit: jsii.Number(sitePerAddress), EvaluationWindowSec: jsii.Number(wafWindowSeconds),
	}, "site"))
	return awswafv2.NewCfnWebACL(scope, jsii.String("EdgeLimits"), &awswafv2.CfnWebACLProps{
		Scope:            jsii.String("CLOUDFRONT"),
		Description:      jsii.String("ISSMP Study: rate limits in front of the site and its sync API"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		VisibilityConfig: visibility("IssmpStudyEdge"),
		Rules:            rules,
		// The API's errors are JSON in the shape the client reads (docs/SYNC.md).
		CustomResponseBodies: map[string]any{
			"api": &awswafv2.CfnWebACL_CustomResponseBodyProperty{
				ContentType: jsii.String("APPLICATION_JSON"),
				Content:     jsii.String(`{"error":"Too many requests reach sync right now. Your progress is safe on this device; sync will try again in a minute.","code":"rate_limited"}`),
			},
			"site": &awswafv2.CfnWebACL_CustomResponseBodyProperty{
				ContentType: jsii.String("TEXT_PLAIN"),
				Content:     jsii.String("Too many requests from your network. Please try again in a few minutes."),
			},
		},
	})
}

func visibility(metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
	return &awswafv2.CfnWebACL_VisibilityConfigProperty{
		CloudWatchMetricsEnabled: jsii.Bool(true),
		MetricName:               &metric,
		SampledRequestsEnabled:   jsii.Bool(true),
	}
}
