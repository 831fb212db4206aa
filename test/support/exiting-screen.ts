/** A route screen that ends the thread it runs on: stands in for an HTTP thread that crashes. */
export const screen = (): never => process.exit(3);
