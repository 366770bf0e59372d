/**
 * The policy pack's entry point, run by the Pulumi CLI: `pulumi preview --policy-pack policy`.
 * See README.md in this folder.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policyPackArgs } from "./pack";

new PolicyPack(POLICY_PACK_NAME, policyPackArgs);
