#!/usr/bin/env node
// `kafka-log-dirs` for npx and npm's bin links: runs the tool built into dist/ by npm run build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', '..', '..', 'dist', 'engine', 'tools', 'entries', 'kafka-log-dirs.js');
if (!fs.existsSync(built)) {
  process.stderr.write('Stream Workbench is not built yet: run npm run build (npm install does it for you)\n');
  process.exit(1);
}
require(built);
