-- The store room's word on a food (inventory.food_availability_changed), apart from the owner's is_available: a
-- restock brings the food back without undoing an owner who took it off the menu.
ALTER TABLE restaurant.foods ADD COLUMN IF NOT EXISTS sold_out BOOLEAN NOT NULL DEFAULT false;
