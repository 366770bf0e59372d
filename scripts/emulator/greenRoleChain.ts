/**
 * A green ROLE as the identity that assumes the blue role (role chaining), for the tests of the verify
 * script's `--source-profile` when that profile is itself a role profile. In moto, with IAM enforced:
 *
 * - a base user in green whose only right is `sts:AssumeRole` on the green role. It stands in for
 *   what starts a real chain (an OIDC provider for a CI job, IAM Identity Center for a person): moto
 *   answers an unsigned AssumeRoleWithWebIdentity with a 500 once IAM is enforced, and has no SSO
 *   portal. It is in no group and may do nothing on blue;
 * - the green role, trusting that user by ARN (moto evaluates the trust of a role assumed from its
 *   own account, and does not match the account root there), with an inline policy allowing
 *   `sts:AssumeRole` on exactly the blue role when `grant` is set, and no policy otherwise;
 * - the AWS config profiles of the chain: `green-base` (the base user's keys), `green-role`
 *   (`role_arn` = the green role, `source_profile = green-base`) and `blue-via-green-role`
 *   (`role_arn` = the blue role, `source_profile = green-role`).
 *
 * Runs with IAM enforcement off (bootstrap calls, like emulatedAccounts.ts).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
    AttachRolePolicyCommand,
    CreateAccessKeyCommand,
    CreatePolicyCommand,
    CreateRoleCommand,
    CreateUserCommand,
    PutRolePolicyCommand,
    PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { resolveAssumeRoleUsersArgs } from "../../components/assumeRoleUsers";
import { renderCliProfiles } from "../../components/cliProfiles";
import { serializePolicy } from "../../components/policyDocument";
import { bootstrapIamClient, type EmulatedAccounts } from "./emulatedAccounts";

/** The profile names the chain's config file holds. */
export const GREEN_ROLE_CHAIN_PROFILES = { base: "green-base", greenRole: "green-role", blueRole: "blue-via-green-role", keylessBlue: "blue" } as const;

/** What {@link createGreenRoleChain} made. */
export interface GreenRoleChain {
    /** The green role's ARN. */
    readonly greenRoleArn: string;
    /** The base user's ARN. */
    readonly baseUserArn: string;
    /** The config file with the three profiles (holds the base user's secret key: never print it). */
    readonly configFile: string;
    /** The base user's secret key, for the tests' "never printed" checks. */
    readonly baseSecretAccessKey: string;
}

/** Options of {@link createGreenRoleChain}. */
export interface GreenRoleChainOptions {
    /** Give the green role `sts:AssumeRole` on the blue role. */
    readonly grant: boolean;
    /**
     * How the grant is made: `inline`, a hand-written inline policy on the role; `keyless`, what the
     * keyless green stack (`greenRoleNames`, `userNames: []`) registers: the component's managed policy
     * `grantPolicyName`, built by its resolver, attached to the role. The chain's config file then also
     * holds the component's rendered keyless profile (`blue`, `source_profile = green-role`). Default `inline`.
     */
    readonly grantWith?: "inline" | "keyless";
    /** The green role's name. Default `ci-deployer`. */
    readonly roleName?: string;
    /** Where to write the config file. */
    readonly dir: string;
}

/** Creates the base user, the green role and the profiles (see the module note). */
export async function createGreenRoleChain(accounts: Pick<EmulatedAccounts, "endpoint" | "region" | "blue" | "green">, options: GreenRoleChainOptions): Promise<GreenRoleChain> {
    const green = accounts.green.accountId;
    const roleName = options.roleName ?? "ci-deployer";
    const greenRoleArn = `arn:aws:iam::${green}:role/${roleName}`;
    const baseUserName = "chain-base";
    const iam = bootstrapIamClient(accounts.endpoint, accounts.region, green);
    try {
        const user = await iam.send(new CreateUserCommand({ UserName: baseUserName }));
        const baseUserArn = user.User?.Arn ?? `arn:aws:iam::${green}:user/${baseUserName}`;
        await iam.send(
            new PutUserPolicyCommand({
                UserName: baseUserName,
                PolicyName: "assume-the-green-role-only",
                PolicyDocument: serializePolicy({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "AssumeTheGreenRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [greenRoleArn] }],
                }),
            }),
        );
        const key = await iam.send(new CreateAccessKeyCommand({ UserName: baseUserName }));
        await iam.send(
            new CreateRoleCommand({
                RoleName: roleName,
                AssumeRolePolicyDocument: serializePolicy({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "TrustTheBaseUser", Effect: "Allow", Principal: { AWS: [baseUserArn] }, Action: ["sts:AssumeRole"] }],
                }),
            }),
        );
        let keylessProfile = "";
        if (options.grant && options.grantWith === "keyless") {
            // The keyless green side's own documents: its resolver builds the grant policy and the profile.
            const resolved = resolveAssumeRoleUsersArgs({
                roleArn: accounts.blue.roleArn,
                greenAccountId: green,
                userNames: [],
                greenRoleNames: [roleName],
                cliProfiles: { sourceProfileName: GREEN_ROLE_CHAIN_PROFILES.greenRole, roleProfileName: GREEN_ROLE_CHAIN_PROFILES.keylessBlue },
            });
            const policy = await iam.send(new CreatePolicyCommand({ PolicyName: resolved.grantPolicyName, Path: resolved.iamPath, PolicyDocument: resolved.groupPolicy }));
            await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.Policy?.Arn }));
            keylessProfile = renderCliProfiles({
                sourceProfileName: resolved.cliProfiles.sourceProfileName,
                roleProfileName: resolved.cliProfiles.roleProfileName,
                roleArn: accounts.blue.roleArn,
                region: accounts.region,
            });
        } else if (options.grant) {
            await iam.send(
                new PutRolePolicyCommand({
                    RoleName: roleName,
                    PolicyName: "assume-the-blue-role",
                    PolicyDocument: serializePolicy({
                        Version: "2012-10-17",
                        Statement: [{ Sid: "AssumeTheBlueRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [accounts.blue.roleArn] }],
                    }),
                }),
            );
        }
        const accessKeyId = key.AccessKey?.AccessKeyId ?? "";
        const secretAccessKey = key.AccessKey?.SecretAccessKey ?? "";
        const { base, greenRole, blueRole } = GREEN_ROLE_CHAIN_PROFILES;
        const configFile = join(options.dir, "config-green-role-chain");
        await writeFile(
            configFile,
            [
                `[profile ${base}]`,
                `aws_access_key_id = ${accessKeyId}`,
                `aws_secret_access_key = ${secretAccessKey}`,
                `region = ${accounts.region}`,
                "",
                `[profile ${greenRole}]`,
                `role_arn = ${greenRoleArn}`,
                `source_profile = ${base}`,
                `region = ${accounts.region}`,
                "",
                `[profile ${blueRole}]`,
                `role_arn = ${accounts.blue.roleArn}`,
                `source_profile = ${greenRole}`,
                `region = ${accounts.region}`,
                "",
            ].join("\n") + keylessProfile,
            { mode: 0o600 },
        );
        return { greenRoleArn, baseUserArn, configFile, baseSecretAccessKey: secretAccessKey };
    } finally {
        iam.destroy();
    }
}
