import { shippedApp } from '../test/helpers/app.js';
const { app } = await shippedApp();
await app.ready();
console.log(app.printRoutes({ commonPrefix: false }));
await app.close();
