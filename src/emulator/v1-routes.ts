import type { Hono } from 'hono';
import type { Ctx } from './context.ts';
import { customerRoutes } from './customers.ts';
import { invoiceRoutes } from './invoices.ts';
import { orderRoutes } from './orders.ts';
import { paymentRoutes } from './payments.ts';
import { planRoutes } from './plans.ts';
import { refundRoutes } from './refunds.ts';
import { subscriptionRoutes } from './subscription-routes.ts';

/** Mounts Razorpay's REST resources under /v1. */
export function mountV1(app: Hono, ctx: Ctx): void {
  app.route('/v1/plans', planRoutes(ctx));
  app.route('/v1/customers', customerRoutes(ctx));
  app.route('/v1/subscriptions', subscriptionRoutes(ctx));
  app.route('/v1/invoices', invoiceRoutes(ctx));
  app.route('/v1/orders', orderRoutes(ctx));
  app.route('/v1/payments', paymentRoutes(ctx));
  app.route('/v1/refunds', refundRoutes(ctx));
}
