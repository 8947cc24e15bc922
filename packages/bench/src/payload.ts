/** A ~200-byte JSON document, the payload of every scenario and baseline. */
export function payload(n: number): string {
  return JSON.stringify({
    n,
    type: 'order.created',
    orderId: `ord_${String(n).padStart(10, '0')}`,
    customer: { id: 'cus_8f14e45fceea167a', country: 'DE' },
    items: [{ sku: 'SKU-000123', qty: 2, price: 19.99 }],
    total: 39.98,
    at: '2026-12-04T12:00:00.000Z',
  });
}
