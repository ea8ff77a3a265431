-- Issue 26: a food's modifier groups (choices with price deltas, as JSON), its allergens (of the 14 EU ones) and dietary tags.
-- Foods from before have none of each.
ALTER TABLE restaurant.foods ADD COLUMN IF NOT EXISTS modifier_groups JSONB NOT NULL DEFAULT '[]';
ALTER TABLE restaurant.foods ADD COLUMN IF NOT EXISTS allergens TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE restaurant.foods ADD COLUMN IF NOT EXISTS diets TEXT[] NOT NULL DEFAULT '{}';
