/**
 * The classic S3 cross-account walkthrough as a user clicks it together in the console (GUIDE
 * section 8), built in moto with the AWS SDK, one console step per call. For adoption (import) and
 * drift tests: it is what `adoptExisting` must find.
 *
 * Blue: a bucket with what the S3 console gives a new bucket (emulatedBucket.ts), no bucket
 * policy, no versioning; the customer managed policy `CrossAccountS3Access` with the walkthrough's
 * one statement; the role `CrossAccountS3Access-Role` made with "Another AWS
 * account" (the console writes an empty `Condition`), with the policy attached.
 * Green: the group `prod-s3-users` with an inline policy from the visual editor (`VisualEditor0`),
 * named as the user typed it; the user `s3-prod-user` with one access key, in the group.
 *
 * Runs with moto's IAM enforcement off (the bootstrap clients send `x-moto-account-id`).
 */
import {
    AddUserToGroupCommand,
    AttachRolePolicyCommand,
    CreateAccessKeyCommand,
    CreateGroupCommand,
    CreatePolicyCommand,
    CreateRoleCommand,
    CreateUserCommand,
    PutGroupPolicyCommand,
} from "@aws-sdk/client-iam";
import { bootstrapIamClient, bootstrapS3Client } from "./emulatedAccounts";
import { CONSOLE_BUCKET_DEFAULTS, createEmulatedBucket } from "./emulatedBucket";

/** What to build the walkthrough with. */
export interface HandMadeWalkthroughOptions {
    /** The moto endpoint. */
    readonly endpoint: string;
    /** The region of the bucket and the clients. */
    readonly region: string;
    /** The resource (blue) account. */
    readonly blueAccountId: string;
    /** The identity (green) account. */
    readonly greenAccountId: string;
    /** The bucket's name. */
    readonly bucketName: string;
    /** The name the user typed for the group's inline policy. */
    readonly groupPolicyName: string;
}

/** What was built: the names the console steps used, and the one access key. */
export interface HandMadeWalkthrough {
    /** The bucket's name. */
    readonly bucketName: string;
    /** `CrossAccountS3Access`'s ARN. */
    readonly policyArn: string;
    /** The walkthrough's policy document, as typed. */
    readonly policyDocument: string;
    /** `CrossAccountS3Access-Role`. */
    readonly roleName: string;
    /** The role's ARN. */
    readonly roleArn: string;
    /** `prod-s3-users`. */
    readonly groupName: string;
    /** The inline policy's name, as typed. */
    readonly groupPolicyName: string;
    /** `s3-prod-user`. */
    readonly userName: string;
    /** The id of the user's one access key (its secret is not kept: the user has it in ~/.aws). */
    readonly accessKeyId: string;
}

/** The walkthrough's managed policy, exactly as GUIDE section 8 gives it. */
export function walkthroughPolicy(bucketName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "PutGetListAccessOnS3",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
                Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
            },
        ],
    });
}

/** Builds the walkthrough in moto, console step by console step. */
export async function buildHandMadeWalkthrough(options: HandMadeWalkthroughOptions): Promise<HandMadeWalkthrough> {
    const { endpoint, region, bucketName, groupPolicyName } = options;
    const blueS3 = bootstrapS3Client(endpoint, region, options.blueAccountId);
    const blueIam = bootstrapIamClient(endpoint, region, options.blueAccountId);
    const greenIam = bootstrapIamClient(endpoint, region, options.greenAccountId);
    try {
        // S3 console, "Create bucket", defaults kept.
        await createEmulatedBucket(blueS3, bucketName, region, CONSOLE_BUCKET_DEFAULTS);

        // IAM console, "Create policy", JSON tab.
        const policyDocument = walkthroughPolicy(bucketName);
        const policy = await blueIam.send(new CreatePolicyCommand({ PolicyName: "CrossAccountS3Access", PolicyDocument: policyDocument }));
        // IAM console, "Create role", "Another AWS account".
        const roleName = "CrossAccountS3Access-Role";
        const trust = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${options.greenAccountId}:root` }, Action: "sts:AssumeRole", Condition: {} }],
        };
        const role = await blueIam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
        await blueIam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.Policy!.Arn! }));

        // IAM console (green), "Create group", then an inline policy from the visual editor.
        const groupName = "prod-s3-users";
        await greenIam.send(new CreateGroupCommand({ GroupName: groupName }));
        await greenIam.send(
            new PutGroupPolicyCommand({
                GroupName: groupName,
                PolicyName: groupPolicyName,
                PolicyDocument: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "VisualEditor0", Effect: "Allow", Action: "sts:AssumeRole", Resource: role.Role!.Arn! }],
                }),
            }),
        );
        // "Add user", programmatic access, in the group.
        const userName = "s3-prod-user";
        await greenIam.send(new CreateUserCommand({ UserName: userName }));
        await greenIam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName }));
        const key = await greenIam.send(new CreateAccessKeyCommand({ UserName: userName }));

        return {
            bucketName,
            policyArn: policy.Policy!.Arn!,
            policyDocument,
            roleName,
            roleArn: role.Role!.Arn!,
            groupName,
            groupPolicyName,
            userName,
            accessKeyId: key.AccessKey!.AccessKeyId!,
        };
    } finally {
        blueS3.destroy();
        blueIam.destroy();
        greenIam.destroy();
    }
}
