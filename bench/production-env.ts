/**
 * Imported first by the bench entry points: graphql-js and other libraries read NODE_ENV when
 * they are loaded (graphql-js skips its development-only instanceOf checks in production), so it
 * must be set before anything else is required. The benchmark measures the production setup.
 */
process.env.NODE_ENV ??= 'production';

export {};
