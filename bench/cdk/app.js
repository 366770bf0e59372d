// @ts-check
/**
 * This project's setup written with the AWS CDK, for `npm run bench` (bench/cdkPeer.ts runs it in a
 * child process and times the whole process). Each setup is two stacks, as this project deploys:
 *
 * - blue (the resource account): an S3 bucket with the same settings (public access blocked, owner
 *   enforced, SSE-S3, versioning, a TLS-only bucket policy, retained on delete), the managed policy
 *   (s3:PutObject and s3:GetObject on BUCKET/*, s3:ListBucket on BUCKET), and the role trusting the
 *   green account with that policy attached;
 * - green (the identity account): the group with its inline sts:AssumeRole policy on the role, a user
 *   in the group, and an access key for the user.
 *
 * Usage: node app.js SETUPS OUTDIR. Synthesizes SETUPS setups (app.synth()) into OUTDIR and prints
 * one JSON line: { setups, stacks, resources, constructMs, synthMs }.
 * Template validation follows the CDK's own switch (CDK_VALIDATION=false turns it off).
 */
"use strict";
const { performance } = require("node:perf_hooks");
const started = performance.now();
const { App, Duration, RemovalPolicy, Stack } = require("aws-cdk-lib");
const iam = require("aws-cdk-lib/aws-iam");
const s3 = require("aws-cdk-lib/aws-s3");

const BLUE = "111111111111";
const GREEN = "222222222222";
const REGION = "eu-west-1";

const setups = Number(process.argv[2] ?? "1");
const outdir = process.argv[3];
if (!Number.isInteger(setups) || setups < 1 || !outdir) {
    console.error("usage: node app.js SETUPS OUTDIR (SETUPS a whole number from 1)");
    process.exit(2);
}

const app = new App({ outdir });
for (let i = 0; i < setups; i++) {
    const suffix = setups === 1 ? "" : `-${i}`;
    const roleName = `CrossAccountS3Access-Role${suffix}`;

    const blue = new Stack(app, `Blue${i}`, { env: { account: BLUE, region: REGION } });
    const bucket = new s3.Bucket(blue, "Bucket", {
        bucketName: `example-cross-account-s3-bucket${suffix}`,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        encryption: s3.BucketEncryption.S3_MANAGED,
        versioned: true,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
    });
    const policy = new iam.ManagedPolicy(blue, "Policy", {
        managedPolicyName: `CrossAccountS3Access${suffix}`,
        statements: [
            new iam.PolicyStatement({ actions: ["s3:PutObject", "s3:GetObject"], resources: [bucket.arnForObjects("*")] }),
            new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }),
        ],
    });
    new iam.Role(blue, "Role", {
        roleName,
        assumedBy: new iam.AccountPrincipal(GREEN),
        managedPolicies: [policy],
        maxSessionDuration: Duration.hours(1),
    });

    // The green stack names the role by ARN: the CDK has no reference across accounts (this project
    // reads it from the blue stack with a StackReference).
    const green = new Stack(app, `Green${i}`, { env: { account: GREEN, region: REGION } });
    const group = new iam.Group(green, "Group", { groupName: `prod-s3-users${suffix}` });
    group.attachInlinePolicy(
        new iam.Policy(green, "AssumeRole", {
            policyName: "AssumeCrossAccountS3AccessRole",
            statements: [new iam.PolicyStatement({ actions: ["sts:AssumeRole"], resources: [`arn:aws:iam::${BLUE}:role/${roleName}`] })],
        }),
    );
    const user = new iam.User(green, "User", { userName: `s3-prod-user${suffix}`, groups: [group] });
    new iam.AccessKey(green, "Key", { user });
}
const constructed = performance.now();
const assembly = app.synth();
const synthesized = performance.now();

const resources = assembly.stacks.reduce((sum, stack) => sum + Object.keys(stack.template.Resources ?? {}).length, 0);
console.log(
    JSON.stringify({
        setups,
        stacks: assembly.stacks.length,
        resources,
        constructMs: constructed - started,
        synthMs: synthesized - constructed,
    }),
);
