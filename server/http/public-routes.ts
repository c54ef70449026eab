// The only /api routes answered without a session; the route-walk test proves every other one needs it.
export const PUBLIC_ROUTES = new Set(['GET /api/health', 'POST /api/auth/login'])
