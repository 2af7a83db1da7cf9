"""The learner's journey and checklists (:mod:`.learner`) and the manager's view of their
staff's progress (:mod:`.manager`, :mod:`.staff`, :mod:`.group_counts`)."""
