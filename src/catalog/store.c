/* placeholder: being written */
typedef int kp_placeholder_catalog_store;
