// Anchor of the startup case: a bare express 5 app with lightship 9 probes (ADMIN_PORT).
import express from 'express';
import { createLightship } from 'lightship';

const lightship = await createLightship({
  port: Number(process.env.ADMIN_PORT ?? 9000),
  detectKubernetes: false,
});
const app = express();
app.get('/v1/greetings/:name', (req, res) => {
  res.json({ message: `Hello, ${req.params.name}!` });
});
const server = app.listen(
  Number(process.env.HTTP_PORT ?? 0),
  '127.0.0.1',
  () => {
    lightship.signalReady();
  },
);
lightship.registerShutdownHandler(
  () => new Promise((resolve) => server.close(resolve)),
);
