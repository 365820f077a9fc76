/** The product version, shared by the CLI, the agent card and the monitor. Keep in step with package.json. */
export const APP_VERSION = '0.1.0';
export const APP_NAME = 'CodeTether';
