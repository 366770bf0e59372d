// mocha --config for the e2eFiles tier; see tiers.cjs.
module.exports = require("./tiers.cjs").e2eFiles;
