/**
 * The program: reads the stack's config and deploys that stack's side.
 */
import { deployBlueSide } from "./blueSide";
import { deployBothSides } from "./bothSides";
import { readStackConfig } from "./config";
import { deployGreenSide } from "./greenSide";
import { BlueStackOutputs, BothStackOutputs, GreenStackOutputs } from "./stackOutputs";

/** The outputs of whichever side the stack deploys. */
export type StackOutputs = BlueStackOutputs | GreenStackOutputs | BothStackOutputs;

/** Deploys the side named by config `side`; its result becomes the stack's outputs. */
export async function deployStack(): Promise<StackOutputs> {
    const config = await readStackConfig();
    switch (config.side) {
        case "blue":
            return deployBlueSide(config);
        case "green":
            return deployGreenSide(config);
        case "both":
            return deployBothSides(config);
    }
}
