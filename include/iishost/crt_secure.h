/* Filled in by the Windows compatibility work; see README "Porting". */
