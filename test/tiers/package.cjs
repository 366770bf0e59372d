// mocha --config for the package tier; see tiers.cjs.
module.exports = require("./tiers.cjs").package;
