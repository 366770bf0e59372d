/**
 * The stack outputs as the program returns them: the contract's value types (components/stackOutputs.ts),
 * each as a plain value or an output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BlueStackOutputValues, GreenStackOutputValues } from "../components/stackOutputs";

/** Each output of a contract as the program may return it: a value or an output of that value. */
export type Exported<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** The blue stack's outputs. `externalId` is a secret. */
export type BlueStackOutputs = Exported<BlueStackOutputValues>;

/** The green stack's outputs. `secretAccessKeys` and `cliConfig` are secrets. */
export type GreenStackOutputs = Exported<GreenStackOutputValues>;

/** The outputs of a both stack: the blue stack's and the green stack's own. */
export type BothStackOutputs = BlueStackOutputs & Omit<GreenStackOutputs, keyof BlueStackOutputValues>;
