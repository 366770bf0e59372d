// @ts-check
/**
 * What the CDK's own bucket grants emit, read from its synthesized template: a bucket and three
 * roles, one each for grantRead, grantPut and grantReadWrite, with the CDK's defaults (no feature
 * flags set, as an app without cdk.json context). Prints one JSON line: for each grant, the actions
 * of the role's policy, and the resources each statement names.
 *
 * Usage: node grants.js OUTDIR
 */
"use strict";
const { App, Stack } = require("aws-cdk-lib");
const iam = require("aws-cdk-lib/aws-iam");
const s3 = require("aws-cdk-lib/aws-s3");

const outdir = process.argv[2];
if (!outdir) {
    console.error("usage: node grants.js OUTDIR");
    process.exit(2);
}
const app = new App({ outdir });
const stack = new Stack(app, "Grants", { env: { account: "111111111111", region: "eu-west-1" } });
const bucket = new s3.Bucket(stack, "Bucket", { bucketName: "example-cross-account-s3-bucket" });
/** @type {Record<string, string>} grant name -> the logical id of its role */
const roles = {};
for (const grant of /** @type {const} */ (["grantRead", "grantPut", "grantReadWrite"])) {
    const role = new iam.Role(stack, `${grant}Role`, { assumedBy: new iam.AccountPrincipal("222222222222") });
    bucket[grant](role);
    roles[grant] = stack.getLogicalId(/** @type {import("aws-cdk-lib").CfnElement} */ (role.node.defaultChild));
}
const template = app.synth().getStackByName("Grants").template;

/** @param {unknown} value */
const list = (value) => (Array.isArray(value) ? value : [value]);
/** @type {Record<string, { actions: string[], statements: { actions: string[], resources: string[] }[] }>} */
const emitted = {};
for (const [grant, roleId] of Object.entries(roles)) {
    const policies = Object.values(template.Resources).filter(
        (/** @type {any} */ r) => r.Type === "AWS::IAM::Policy" && list(r.Properties.Roles).some((ref) => ref.Ref === roleId),
    );
    const statements = policies
        .flatMap((/** @type {any} */ p) => p.Properties.PolicyDocument.Statement)
        .map((/** @type {any} */ s) => ({
            actions: list(s.Action).sort(),
            // Resources are CloudFormation expressions (Fn::GetAtt / Fn::Join); name them by what they point at.
            resources: list(s.Resource).map((/** @type {any} */ r) => (r["Fn::GetAtt"] ? "BUCKET" : r["Fn::Join"] ? "BUCKET/*" : JSON.stringify(r))),
        }));
    emitted[grant] = { actions: [...new Set(statements.flatMap((s) => s.actions))].sort(), statements };
}
console.log(JSON.stringify(emitted));
