// Starts the Cosmos DB stand-in over HTTPS on 127.0.0.1 with the given certificate, and prints
// "listening <port>" once it accepts connections. Used by LocalCosmosDb (Java tests).
// usage: node start.js <port or 0> <cert.pem> <key.pem>
const fs = require("fs");
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const [port, certPath, keyPath] = process.argv.slice(2);
const server = createHttpsServer({
  cert: fs.readFileSync(certPath),
  key: fs.readFileSync(keyPath),
});
server.listen(Number(port || 0), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
// stop with the parent: when stdin closes (the JVM died or closed it) or on SIGTERM
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => process.exit(0));
