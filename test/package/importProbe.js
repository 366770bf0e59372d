// Requires one module under Pulumi mocks and prints, as JSON on the last line, everything that
// importing it did to Pulumi: resources registered, invokes made, config read. Importing the
// package must do none of these; only constructing a component may.
//
//     node test/package/importProbe.js /abs/path/components/index.ts   (with -r tsx/cjs)
//     node importProbe.js cross-account-bucket-access                  (copied into a consumer)
//
// Plain CommonJS so that it runs unchanged in the repository and in a consumer project: it
// resolves @pulumi/pulumi and the module from where the file sits.
"use strict";
const pulumi = require("@pulumi/pulumi");
const runtimeConfig = require("@pulumi/pulumi/runtime/config");

const seen = { registered: [], invoked: [], configRead: [] };
for (const name of ["getConfig", "allConfig", "isConfigSecret"]) {
    const original = runtimeConfig[name];
    runtimeConfig[name] = (...args) => {
        seen.configRead.push(`${name}(${args.join(", ")})`);
        return original(...args);
    };
}
pulumi.runtime.setMocks(
    {
        newResource(args) {
            seen.registered.push(`${args.type}::${args.name}`);
            throw new Error("importing the package registered a resource");
        },
        call(args) {
            seen.invoked.push(args.token);
            throw new Error("importing the package made an invoke");
        },
    },
    "import-probe",
    "probe",
    false,
);

const specifier = process.argv[2];
const loaded = require(specifier);
// Give anything the import started (a promise, a timer) a chance to reach the mocks.
setTimeout(() => {
    const exported = Object.keys(loaded).sort();
    process.stdout.write(JSON.stringify({ ...seen, exported }) + "\n");
}, 250);
