"""Citizens' proposals: filing, supports towards a threshold, the routed agency's answer with
reasons and a deadline, results that trace the work, merging duplicates and moderation."""
