// mocha --config for the e2eSuites tier; see tiers.cjs.
module.exports = require("./tiers.cjs").e2eSuites;
