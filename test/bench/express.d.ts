// express 5 ships no types and @types/express is not installed; this declares only what the
// SDK bench server uses (create an app, mount the SDK's handlers, listen).
declare module 'express' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';
  export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  interface Application {
    use(path: string, handler: RequestHandler): Application;
    listen(port: number, host: string, callback: () => void): Server;
  }
  function express(): Application;
  export default express;
}
