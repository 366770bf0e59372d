// The floor of any Pulumi program started by the language host: a program that declares nothing.
// bench/coldStart.ts starts it with `typescript: false` and no nodeargs, and divides by its time.
module.exports = {};
