<?php
/**
 * Registers the module with Magento (app/code/Finframe/Elements, or vendor/ through Composer).
 */
declare(strict_types=1);

use Magento\Framework\Component\ComponentRegistrar;

ComponentRegistrar::register(ComponentRegistrar::MODULE, 'Finframe_Elements', __DIR__);
