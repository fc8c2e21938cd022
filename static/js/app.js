// Starts GOV.UK Frontend's components (skip link, accordions, tabs …) on every page.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
