import { Route } from 'react-router';
import type { ReactNode } from 'react';
import { BillPage } from './BillPage';
import { CounterPage } from './CounterPage';
import { PriceListPage } from './PriceListPage';
import './billing.css';

/** The billing routes, spliced into App's <Routes> (admin-only ones wrapped by the caller). */
export function billingRoutes(adminOnly: (page: ReactNode) => ReactNode) {
  return [
    <Route key="bill" path="/visits/:visitId/bill" element={<BillPage />} />,
    <Route key="counter" path="/counter" element={<CounterPage />} />,
    <Route key="prices" path="/price-list" element={adminOnly(<PriceListPage />)} />,
  ];
}
