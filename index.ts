/**
 * The Pulumi program. Which side a stack deploys is its config `side`: `blue` (the resource
 * account: bucket, policy, role), `green` (the identity account: group, users, keys) or `both`.
 */
import { deployStack } from "./program/main";

export = deployStack;
