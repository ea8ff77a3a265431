-- When a restaurant takes guests, as times of day in UTC; existing restaurants open 11:00–23:00 until their owner says otherwise.
-- A closing time at or before the opening time runs past midnight; equal times mean open all day.
ALTER TABLE restaurant.restaurants ADD COLUMN IF NOT EXISTS opens_at TIME NOT NULL DEFAULT '11:00:00';
ALTER TABLE restaurant.restaurants ADD COLUMN IF NOT EXISTS closes_at TIME NOT NULL DEFAULT '23:00:00';
