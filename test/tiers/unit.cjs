// mocha --config for the unit tier; see tiers.cjs.
module.exports = require("./tiers.cjs").unit;
