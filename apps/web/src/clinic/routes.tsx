import { Route } from 'react-router';
import type { ReactNode } from 'react';
import { PatientHistory } from './PatientHistory';
import { TodayPage } from './TodayPage';
import { VisitPage } from './VisitPage';
import './clinic.css';

/** The clinic-day routes, spliced into App's <Routes> (admin-only ones wrapped by the caller). */
export function clinicRoutes(adminOnly: (page: ReactNode) => ReactNode) {
  return [
    <Route key="today" path="/today" element={<TodayPage />} />,
    <Route key="visit" path="/visits/:id" element={<VisitPage />} />,
    <Route key="history" path="/patients/:id/history" element={adminOnly(<PatientHistory />)} />,
  ];
}
