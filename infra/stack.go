package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// SiteProps says what the stack deploys and from where.
type SiteProps struct {
	awscdk.StackProps
	SiteDir     string // the built site (make build): public/
	LambdaDir   string // the folder holding the sync function's bootstrap (make lambda)
	SweeperDir  string // the folder holding the sweeper's bootstrap (make lambda)
	HeadersFile string // the security headers shared with the local server: static/headers.json
	Sync        bool   // deploy the sync service too; false deploys the static site alone
	// SyncConcurrency is the sync function's reserved concurrency: a ceiling on cost and load.
	SyncConcurrency float64
	// WebACLArn is the distribution's web ACL, made by the edge stack in us-east-1 (NewEdgeStack).
	// Nil: this stack makes its own, which CloudFormation accepts only in us-east-1; a rule in the
	// template refuses any other region.
	WebACLArn *string
}

// The sweeper's reserved concurrency: deletions wait in the stream (24 hours) rather than run wide.
const sweeperConcurrency = 2

// apiRequestHeaders are the request headers the /api/* behaviour forwards to the function URL.
// The managed AllViewerExceptHostHeader policy is "all viewer headers except Host": the headers
// CloudFront itself adds, such as CloudFront-Viewer-Address, are not among them (users of it report
// CloudFront-Viewer-Country missing). And no header behaviour says "all viewer headers but Host,
// plus CloudFront-Viewer-Address": allExcept adds no CloudFront header, and
// allViewerAndWhitelistCloudFront forwards Host, which breaks the signature origin access control
// makes for the function URL. So the policy names what the handler reads; a request header the
// handler starts to read must be added here.
var apiRequestHeaders = []string{
	"Content-Type",
	"X-Sync-Token",         // syncproto.TokenHeader
	"X-Amz-Content-Sha256", // the body's hash, which CloudFront needs to sign a POST to the function URL
	"CloudFront-Viewer-Address",
}

// The folders of fingerprinted files (Hugo's fingerprint, or the bank's content hash): their
// names change when their contents do, so browsers and CloudFront keep them for a year.
var fingerprinted = []string{"css", "js", "wasm", "bank"}

// Cache-Control of what the bucket serves.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	// HTML and the other unfingerprinted files: browsers revalidate every time, CloudFront keeps
	// them 5 minutes, and a deployment invalidates them at once.
	cacheShort = "public, max-age=0, s-maxage=300, must-revalidate"
)

// NewSiteStack defines the site on AWS: a private bucket behind CloudFront, and, when p.Sync, the
// sync function under /api/ on the same distribution with its DynamoDB table.
func NewSiteStack(scope constructs.Construct, id string, p SiteProps) (awscdk.Stack, error) {
	headers, err := loadHeaders(p.HeadersFile)
	if err != nil {
		return nil, err
	}
	files, err := stage(p.SiteDir)
	if err != nil {
		return nil, err
	}
	stack := awscdk.NewStack(scope, &id, &p.StackProps)

	bucket := awss3.NewBucket(stack, jsii.String("Site"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})

	headersPolicy := awscloudfront.NewResponseHeadersPolicy(stack, jsii.String("SecurityHeaders"), headers.policyProps())

	// The bucket has no website endpoint: a viewer-request function maps /domain-3/ to
	// /domain-3/index.html, and /domain-3 to a redirect, as the local server does.
	index := awscloudfront.NewFunction(stack, jsii.String("DirectoryIndex"), &awscloudfront.FunctionProps{
		Code:    awscloudfront.FunctionCode_FromInline(jsii.String(directoryIndexJS)),
		Runtime: awscloudfront.FunctionRuntime_JS_2_0(),
		Comment: jsii.String("Serve folder/index.html for folder/, and redirect folder to folder/"),
	})
	htmlCache := awscloudfront.NewCachePolicy(stack, jsii.String("ShortCache"), &awscloudfront.CachePolicyProps{
		Comment:                    jsii.String("HTML and other unfingerprinted files: short, and invalidated on deploy"),
		MinTtl:                     awscdk.Duration_Seconds(jsii.Number(0)),
		DefaultTtl:                 awscdk.Duration_Minutes(jsii.Number(5)),
		MaxTtl:                     awscdk.Duration_Hours(jsii.Number(1)),
		EnableAcceptEncodingBrotli: jsii.Bool(true),
		EnableAcceptEncodingGzip:   jsii.Bool(true),
		QueryStringBehavior:        awscloudfront.CacheQueryStringBehavior_None(),
	})
	siteOrigin := awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(bucket, &awscloudfrontorigins.S3BucketOriginWithOACProps{})
	immutable := &awscloudfront.BehaviorOptions{
		Origin:                siteOrigin,
		ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
		CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
		ResponseHeadersPolicy: headersPolicy,
		Compress:              jsii.Bool(true),
	}
	// Behaviors in a fixed order (a Go map would shuffle them from one synth to the next).
	type behavior struct {
		path string
		opts *awscloudfront.BehaviorOptions
	}
	var behaviors []behavior
	for _, dir := range fingerprinted {
		behaviors = append(behaviors, behavior{"/" + dir + "/*", immutable})
	}

	var table awsdynamodb.TableV2
	if p.Sync {
		table = awsdynamodb.NewTableV2(stack, jsii.String("SyncLogs"), &awsdynamodb.TablePropsV2{
			PartitionKey: &awsdynamodb.Attribute{Name: jsii.String("log"), Type: awsdynamodb.AttributeType_STRING},
			SortKey:      &awsdynamodb.Attribute{Name: jsii.String("seq"), Type: awsdynamodb.AttributeType_NUMBER},
			Billing:      awsdynamodb.Billing_OnDemand(nil),
			// A log's meta item and the registration counters carry their expiry (Unix seconds);
			// TTL deletes them, and the stream hands a deleted meta item to the sweeper.
			TimeToLiveAttribute:              jsii.String("expires"),
			DynamoStream:                     awsdynamodb.StreamViewType_OLD_IMAGE,
			PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: jsii.Bool(true)},
			DeletionProtection:               jsii.Bool(true),
			RemovalPolicy:                    awscdk.RemovalPolicy_RETAIN,
		})
		logs := awslogs.NewLogGroup(stack, jsii.String("SyncLog"), &awslogs.LogGroupProps{
			Retention:     awslogs.RetentionDays_ONE_MONTH,
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
		fn := awslambda.NewFunction(stack, jsii.String("Sync"), &awslambda.FunctionProps{
			Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
			Architecture:                 awslambda.Architecture_ARM_64(),
			Handler:                      jsii.String("bootstrap"),
			Code:                         awslambda.Code_FromAsset(&p.LambdaDir, nil),
			MemorySize:                   jsii.Number(256),
			Timeout:                      awscdk.Duration_Seconds(jsii.Number(15)),
			ReservedConcurrentExecutions: jsii.Number(p.SyncConcurrency),
			Environment:                  &map[string]*string{"TABLE_NAME": table.TableName()},
			LogGroup:                     logs,
			Description:                  jsii.String("ISSMP Study sync: stores sealed progress batches it cannot read"),
		})
		// Only what the handler does: read a log's counter, register it, append in a
		// transaction (a conditional update and puts), and query batches.
		table.Grant(fn, jsii.String("dynamodb:GetItem"), jsii.String("dynamodb:PutItem"), jsii.String("dynamodb:UpdateItem"), jsii.String("dynamodb:Query"))
		newSweeper(stack, table, p.SweeperDir)
		apiRequests := awscloudfront.NewOriginRequestPolicy(stack, jsii.String("ApiRequests"), &awscloudfront.OriginRequestPolicyProps{
			Comment:             jsii.String("The sync API: the headers the handler reads, and the client's address"),
			HeaderBehavior:      awscloudfront.OriginRequestHeaderBehavior_AllowList(*jsii.Strings(apiRequestHeaders...)...),
			CookieBehavior:      awscloudfront.OriginRequestCookieBehavior_None(),
			QueryStringBehavior: awscloudfront.OriginRequestQueryStringBehavior_None(),
		})
		url := fn.AddFunctionUrl(&awslambda.FunctionUrlOptions{
			AuthType:   awslambda.FunctionUrlAuthType_AWS_IAM,
			InvokeMode: awslambda.InvokeMode_RESPONSE_STREAM,
		})
		behaviors = append(behaviors, behavior{"/api/*", &awscloudfront.BehaviorOptions{
			Origin:                awscloudfrontorigins.FunctionUrlOrigin_WithOriginAccessControl(url, &awscloudfrontorigins.FunctionUrlOriginWithOACProps{}),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
			AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_ALL(),
			CachePolicy:           awscloudfront.CachePolicy_CACHING_DISABLED(),
			OriginRequestPolicy:   apiRequests,
			ResponseHeadersPolicy: headersPolicy,
			Compress:              jsii.Bool(true),
		}})
	}

	webACL := p.WebACLArn
	if webACL == nil {
		webACL = newWebACL(stack, p.Sync).AttrArn()
		awscdk.NewCfnRule(stack, jsii.String("EdgeRegion"), &awscdk.CfnRuleProps{
			Assertions: &[]*awscdk.CfnRuleAssertion{{
				Assert:            awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(edgeRegion)),
				AssertDescription: jsii.String("This template holds CloudFront's web ACL, which only us-east-1 accepts: deploy it there, or synthesize with the target region set (CDK_DEFAULT_REGION) so that the ACL goes to a separate us-east-1 stack"),
			}},
		})
	}
	dist := awscloudfront.NewDistribution(stack, jsii.String("CDN"), &awscloudfront.DistributionProps{
		Comment:           jsii.String("ISSMP Study"),
		WebAclId:          webACL,
		HttpVersion:       awscloudfront.HttpVersion_HTTP2_AND_3,
		DefaultRootObject: jsii.String("index.html"),
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:                siteOrigin,
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           htmlCache,
			ResponseHeadersPolicy: headersPolicy,
			Compress:              jsii.Bool(true),
			FunctionAssociations: &[]*awscloudfront.FunctionAssociation{{
				Function: index, EventType: awscloudfront.FunctionEventType_VIEWER_REQUEST,
			}},
		},
		// A missing file is a 404 from S3 (CloudFront may list the bucket, below): show the
		// site's own page. The sync API answers 401, 403 and 4xx JSON of its own, untouched.
		ErrorResponses: &[]*awscloudfront.ErrorResponse{{
			HttpStatus:         jsii.Number(404),
			ResponseHttpStatus: jsii.Number(404),
			ResponsePagePath:   jsii.String("/404.html"),
			Ttl:                awscdk.Duration_Minutes(jsii.Number(1)),
		}},
	})
	for _, b := range behaviors {
		o := b.opts
		dist.AddBehavior(&b.path, o.Origin, &awscloudfront.AddBehaviorOptions{
			ViewerProtocolPolicy: o.ViewerProtocolPolicy, CachePolicy: o.CachePolicy, OriginRequestPolicy: o.OriginRequestPolicy,
			AllowedMethods: o.AllowedMethods, ResponseHeadersPolicy: o.ResponseHeadersPolicy, Compress: o.Compress,
		})
	}
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudFrontListsForNotFound"),
		Actions:    jsii.Strings("s3:ListBucket"),
		Resources:  jsii.Strings(*bucket.BucketArn()),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudfront.amazonaws.com"), nil)},
		Conditions: &map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("cloudfront"), Region: jsii.String(""), Resource: jsii.String("distribution"), ResourceName: dist.DistributionId(),
		})}},
	}))

	// Three uploads, from folders staged at synth: fingerprinted files (a year); the WebAssembly
	// module already brotli-encoded (CloudFront's own compression may skip application/wasm); and
	// everything else (short, and invalidated). The local server's .br and .gz copies stay behind.
	var fp []*string
	for _, dir := range fingerprinted {
		fp = append(fp, jsii.String(dir+"/*"))
	}
	fingerprintedDeploy := awss3deployment.NewBucketDeployment(stack, jsii.String("Fingerprinted"), &awss3deployment.BucketDeploymentProps{
		Sources:           &[]awss3deployment.ISource{awss3deployment.Source_Asset(&files.immutable, nil)},
		DestinationBucket: bucket,
		CacheControl:      &[]awss3deployment.CacheControl{awss3deployment.CacheControl_FromString(jsii.String(cacheImmutable))},
		Prune:             jsii.Bool(false), // old pages in caches may still ask for old assets
		MemoryLimit:       jsii.Number(512),
	})
	wasmDeploy := awss3deployment.NewBucketDeployment(stack, jsii.String("Wasm"), &awss3deployment.BucketDeploymentProps{
		Sources:              &[]awss3deployment.ISource{awss3deployment.Source_Asset(&files.wasm, nil)},
		DestinationBucket:    bucket,
		DestinationKeyPrefix: jsii.String("wasm/"),
		ContentEncoding:      jsii.String("br"),
		ContentType:          jsii.String("application/wasm"),
		CacheControl:         &[]awss3deployment.CacheControl{awss3deployment.CacheControl_FromString(jsii.String(cacheImmutable))},
		Prune:                jsii.Bool(false),
		MemoryLimit:          jsii.Number(512),
	})
	pages := awss3deployment.NewBucketDeployment(stack, jsii.String("Pages"), &awss3deployment.BucketDeploymentProps{
		Sources:           &[]awss3deployment.ISource{awss3deployment.Source_Asset(&files.pages, nil)},
		DestinationBucket: bucket,
		Exclude:           &fp, // not in this source; excluded so that pruning leaves them alone
		CacheControl:      &[]awss3deployment.CacheControl{awss3deployment.CacheControl_FromString(jsii.String(cacheShort))},
		Distribution:      dist,
		DistributionPaths: jsii.Strings("/*"),
		Prune:             jsii.Bool(true),
		MemoryLimit:       jsii.Number(512),
	})
	// Pages go last: by the time HTML names new assets, they are in the bucket.
	pages.Node().AddDependency(fingerprintedDeploy, wasmDeploy)

	awscdk.NewCfnOutput(stack, jsii.String("SiteURL"), &awscdk.CfnOutputProps{
		Value:       jsii.String("https://" + *dist.DistributionDomainName() + "/"),
		Description: jsii.String("The site"),
	})
	if table != nil {
		awscdk.NewCfnOutput(stack, jsii.String("SyncTable"), &awscdk.CfnOutputProps{Value: table.TableName()})
	}
	dropRedundantRoleDependencies(stack)
	return stack, nil
}

// newSweeper defines the function that deletes a log's batches once TTL has deleted its meta item
// (seq 0): DynamoDB's stream hands it the deletions, filtered so that nothing else invokes it.
func newSweeper(stack awscdk.Stack, table awsdynamodb.TableV2, dir string) awslambda.Function {
	logs := awslogs.NewLogGroup(stack, jsii.String("SweeperLog"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	fn := awslambda.NewFunction(stack, jsii.String("Sweeper"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(&dir, nil),
		MemorySize:   jsii.Number(128),
		// A full log (16 MiB) of small batches is many thousands of items, deleted 25 at a time.
		// A sweep that runs out of time is retried, and carries on with what is left.
		Timeout:                      awscdk.Duration_Minutes(jsii.Number(5)),
		ReservedConcurrentExecutions: jsii.Number(sweeperConcurrency),
		Environment:                  &map[string]*string{"TABLE_NAME": table.TableName()},
		LogGroup:                     logs,
		Description:                  jsii.String("ISSMP Study sweeper: deletes the batches of a log whose meta item expired"),
	})
	// Read the log's counter item (a log made again must keep its batches), find the log's
	// batches and delete them; reading the stream is the event source's own grant.
	table.Grant(fn, jsii.String("dynamodb:GetItem"), jsii.String("dynamodb:Query"), jsii.String("dynamodb:BatchWriteItem"))
	fn.AddEventSource(awslambdaeventsources.NewDynamoEventSource(table, &awslambdaeventsources.DynamoEventSourceProps{
		// From the oldest record the stream keeps, so that a new or re-created mapping misses none.
		StartingPosition: awslambda.StartingPosition_TRIM_HORIZON,
		BatchSize:        jsii.Number(10),
		// A failing batch is split to find the record at fault, which is retried a bounded number
		// of times and then skipped (its batches stay: the sweeper's Errors metric shows it).
		BisectBatchOnError: jsii.Bool(true),
		RetryAttempts:      jsii.Number(10),
		MaxRecordAge:       awscdk.Duration_Hours(jsii.Number(24)),
		Filters:            &[]*map[string]any{sweeperFilter()},
	}))
	return fn
}

// sweeperFilter matches TTL's deletions of a log's meta item: a REMOVE made by DynamoDB itself
// (not by a client) of an item with seq 0 whose log is a log id. Log ids are 32 hex characters;
// the registration counters, also deleted by TTL, are named "~…". Lambda's filters have no
// "anything but a prefix" for stream sources, so the pattern lists the 16 prefixes a log id can
// have.
func sweeperFilter() *map[string]any {
	var hex []any
	for _, c := range "0123456789abcdef" {
		hex = append(hex, map[string]any{"prefix": string(c)})
	}
	return awslambda.FilterCriteria_Filter(&map[string]any{
		"eventName": awslambda.FilterRule_IsEqual(jsii.String("REMOVE")),
		"userIdentity": map[string]any{
			"type":        awslambda.FilterRule_IsEqual(jsii.String("Service")),
			"principalId": awslambda.FilterRule_IsEqual(jsii.String("dynamodb.amazonaws.com")),
		},
		"dynamodb": map[string]any{"Keys": map[string]any{
			"seq": map[string]any{"N": awslambda.FilterRule_IsEqual(jsii.String("0"))}, // numbers are strings in stream records
			"log": map[string]any{"S": hex},
		}},
	})
}

// dropRedundantRoleDependencies removes, from every Lambda function, the DependsOn its own role
// that the CDK writes although the function's Role property already refers to it (cfn-lint
// W3005). The dependency on the role's policy stays: without it the function could start before
// it may use the table.
func dropRedundantRoleDependencies(stack awscdk.Stack) {
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		fn, ok := c.(awslambda.CfnFunction)
		if !ok {
			continue
		}
		role := fn.Node().Scope().Node().TryFindChild(jsii.String("ServiceRole"))
		if role == nil {
			continue
		}
		var keep []*string
		if pol := role.Node().TryFindChild(jsii.String("DefaultPolicy")); pol != nil {
			if res, ok := pol.Node().TryFindChild(jsii.String("Resource")).(awscdk.CfnElement); ok {
				keep = append(keep, stack.GetLogicalId(res))
			}
		}
		if len(keep) == 0 {
			fn.AddDeletionOverride(jsii.String("DependsOn"))
		} else {
			fn.AddOverride(jsii.String("DependsOn"), keep)
		}
	}
}

// staged holds the site split into the folders the three uploads take.
type staged struct{ immutable, wasm, pages string }

// stage splits the built site: fingerprinted folders (without the .wasm module) into one folder,
// the brotli copies of the .wasm modules under their served names into another, and the rest into
// a third. The .br and .gz copies the local server uses are left out.
func stage(siteDir string) (staged, error) {
	if _, err := os.Stat(filepath.Join(siteDir, "index.html")); err != nil {
		return staged{}, fmt.Errorf("infra: %s has no index.html: build the site first (make build)", siteDir)
	}
	root, err := os.MkdirTemp("", "issmp-deploy-")
	if err != nil {
		return staged{}, err
	}
	s := staged{filepath.Join(root, "immutable"), filepath.Join(root, "wasm"), filepath.Join(root, "pages")}
	wasms := 0
	err = filepath.WalkDir(siteDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(siteDir, path)
		rel = filepath.ToSlash(rel)
		top, _, _ := strings.Cut(rel, "/")
		var dest string
		switch {
		case strings.HasSuffix(rel, ".wasm.br"):
			dest, wasms = filepath.Join(s.wasm, strings.TrimSuffix(filepath.Base(rel), ".br")), wasms+1
		case strings.HasSuffix(rel, ".br"), strings.HasSuffix(rel, ".gz"), strings.HasSuffix(rel, ".wasm"):
			return nil
		case slices.Contains(fingerprinted, top):
			dest = filepath.Join(s.immutable, rel)
		default:
			dest = filepath.Join(s.pages, rel)
		}
		return copyFile(path, dest)
	})
	if err != nil {
		return staged{}, fmt.Errorf("infra: staging %s: %w", siteDir, err)
	}
	if wasms == 0 {
		return staged{}, fmt.Errorf("infra: no %s/wasm/*.wasm.br: build the site first (make build)", siteDir)
	}
	return s, nil
}

func copyFile(src, dest string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dest, data, 0o644)
}

// directoryIndexJS is the CloudFront Function (cloudfront-js-2.0) in front of the bucket.
const directoryIndexJS = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    // To the site's own path: "//evil.example/x/" or "/\\evil.example/x/" in Location is another host.
    var target = '/' + uri.replace(/^[\/\\]+/, '').replace(/\\/g, '%5C') + '/';
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: target } } };
  }
  return request;
}`
