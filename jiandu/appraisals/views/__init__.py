"""Appraisal pages. Views are adapters: parse with a form, fetch through queries (scoped), call
one action, redirect (post/redirect/get) or render with the problems next to the fields."""
