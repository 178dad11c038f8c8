-- Every decision of the router's retrain swap rule (src/router/training/retrain.ts): a newly trained model replaces the
-- one in use only when it scores at least as well on a recent held-out slice. Both models' scores on that slice are
-- kept, swapped or not, so staff can see why the model changed (or did not). Current scores are NULL when no model was
-- in use.
CREATE TABLE router_swaps (
  id bigserial PRIMARY KEY,
  decided_at timestamptz NOT NULL DEFAULT now(),
  model_path text NOT NULL,
  swapped boolean NOT NULL,
  candidate_kind text NOT NULL,
  train_rows integer NOT NULL,
  slice_rows integer NOT NULL,
  current_accuracy double precision,
  current_macro_f1 double precision,
  candidate_accuracy double precision NOT NULL,
  candidate_macro_f1 double precision NOT NULL
);
